import type { Metadata } from "next";
import { NotBuilt } from "@/components/not-built";

export const metadata: Metadata = { title: "Playground" };

export default function Page() {
  return (
    <NotBuilt
      title="Playground"
      purpose="Try models side by side: stream answers, compare up to four models, and see time to first token, tokens per second and the cost of every answer."
      arrives="It arrives with the local engine and the providers. Nothing on this page is live yet."
    />
  );
}
