import type { Metadata } from "next";
import { NotBuilt } from "@/components/not-built";

export const metadata: Metadata = { title: "Models" };

export default function Page() {
  return (
    <NotBuilt
      title="Models"
      purpose="Every model from every provider, with its context length, prices and tags."
      arrives="The model catalogue arrives with providers; none are registered in this version."
    />
  );
}
