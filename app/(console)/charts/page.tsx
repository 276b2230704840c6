import type { Metadata } from "next";
import { NotBuilt } from "@/components/not-built";

export const metadata: Metadata = { title: "Charts" };

export default function Page() {
  return (
    <NotBuilt
      title="Charts"
      purpose="Quality, speed and cost together, usage and spend over time, by model and team. Every figure will be traced to stored requests and eval results."
      arrives="There is nothing measured to chart yet, so this page shows nothing rather than made-up numbers."
    />
  );
}
