import type { Metadata } from "next";
import { NotBuilt } from "@/components/not-built";

export const metadata: Metadata = { title: "Fine-tuning" };

export default function Page() {
  return (
    <NotBuilt
      title="Fine-tuning"
      purpose="Upload a dataset, see every bad line explained, fine-tune a model on this machine, watch the loss and deploy the result."
      arrives="The wizard is not available in this version; the trainer behind it is being built first."
    />
  );
}
