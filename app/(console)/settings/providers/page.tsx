import type { Metadata } from "next";
import { NotBuilt } from "@/components/not-built";
import { requirePageRole } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Providers" };

export default async function ProvidersPage() {
  await requirePageRole("admin");
  return (
    <NotBuilt
      title="Providers"
      purpose="Register the built-in local engine and OpenAI-compatible endpoints (vLLM, Ollama, Fireworks, Together, OpenAI…), with keys encrypted at rest."
      arrives="Providers are not available in this version."
    />
  );
}
