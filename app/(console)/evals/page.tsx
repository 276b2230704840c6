import type { Metadata } from "next";
import { NotBuilt } from "@/components/not-built";

export const metadata: Metadata = { title: "Evals" };

export default function Page() {
  return (
    <NotBuilt
      title="Evals"
      purpose="Run evaluation suites against your models and keep their results next to the requests they made."
      arrives="Evals are not available in this version."
    />
  );
}
