import type { Metadata } from "next";
import { NotBuilt } from "@/components/not-built";

export const metadata: Metadata = { title: "Deployments" };

export default function Page() {
  return (
    <NotBuilt
      title="Deployments"
      purpose="Run models on real replicas with autoscaling, and watch their state and events."
      arrives="Deployments are not available in this version."
    />
  );
}
