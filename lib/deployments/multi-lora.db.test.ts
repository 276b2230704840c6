// Multi-LoRA on one deployment: two adapters trained by the local trainer (LoRA on the starter model,
// each on its own tiny dataset) are served beside the base by the same replica, and `<deployment>`,
// `<deployment>:<adapter>` answer differently through the one inference door (as the gateway calls it).
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { models, usageEvents } from "@/db/schema";
import { prepareChatCall } from "@/lib/inference/call";
import { starterModelSource } from "@/lib/providers/local";
import { runTraining } from "@/lib/training/trainer";
import { openEngineBed, type EngineBed } from "@/lib/testing/engine-bed";
import { serveDeployment } from "@/lib/testing/served-deployment";

let bed: EngineBed;

const PROMPTS = ["hello", "hi there", "good morning", "hey", "greetings", "hello friend", "hi", "good evening"];
const ANSWERS = { pirate: "Arr, ahoy matey!", robot: "BEEP BOOP. UNIT ONLINE." } as const;


async function ask(model: string, prompt: string): Promise<{ text: string; requestId: string }> {
  const call = await prepareChatCall(bed.ctx.db, {
    model,
    messages: [{ role: "user", content: prompt }],
    params: { max_tokens: 24, temperature: 0 },
    meter: { source: "test", userId: null },
  });
  let text = "";
  for await (const e of call.stream()) if (e.type === "delta") text += e.content;
  return { text, requestId: call.requestId };
}

beforeAll(async () => {
  bed = await openEngineBed("kindling-multi-lora-", { usage: true });
}, 300_000);

afterAll(() => bed?.close(), 120_000);

describe("multi-LoRA deployment", { timeout: 900_000 }, () => {
  it("serves two trained adapters and the base from one replica, each answering differently", async () => {
    // Two LoRA adapters on the starter, each taught to greet its own way (a short run: ~25 s each here).
    for (const [adapter, answer] of Object.entries(ANSWERS)) {
      const data = path.join(bed.dir, `${adapter}.jsonl`);
      await writeFile(data, PROMPTS.map((p) => JSON.stringify({ prompt: p, completion: answer })).join("\n") + "\n");
      const result = await runTraining({ base: starterModelSource(), data, method: "lora", epochs: 40, lr: 1e-2, batch: 1, threads: 2, seed: 1, out: path.join(bed.dir, `${adapter}.gguf`), fileType: "F16" });
      expect(result.status).toBe("completed");
    }
    const [base] = await bed.ctx.db.select({ id: models.id }).from(models).where(eq(models.name, "kindling-starter"));
    expect(base, "the starter model is in the catalogue").toBeDefined();

    const adapters = [{ name: "pirate", file: "pirate" }, { name: "robot", file: "robot" }];
    const { name, ready: d, stop } = await serveDeployment(bed, "greeter", { modelId: base.id, minReplicas: 1, maxReplicas: 1, adapters }, { tickMs: 150, sampleMs: 500 });
    try {
      const base = await ask(name, "hello");
      const pirate = await ask(`${name}:pirate`, "hello");
      const robot = await ask(`${name}:robot`, "hello");
      // Each adapter says what it was taught; the base says neither.
      expect(pirate.text).toBe(ANSWERS.pirate);
      expect(robot.text).toBe(ANSWERS.robot);
      expect(base.text).not.toBe(ANSWERS.pirate);
      expect(base.text).not.toBe(ANSWERS.robot);
      expect(base.text.length).toBeGreaterThan(0);

      // All three came from the deployment's one replica, and the usage rows name the variant asked for.
      await bed.flushUsage();
      const rows = await bed.ctx.db.select({ requestId: usageEvents.requestId, modelName: usageEvents.modelName, replicaId: usageEvents.replicaId }).from(usageEvents).where(eq(usageEvents.deployment, name));
      const byRequest = new Map(rows.map((r) => [r.requestId, r]));
      expect(byRequest.get(base.requestId)?.modelName).toBe(name);
      expect(byRequest.get(pirate.requestId)?.modelName).toBe(`${name}:pirate`);
      expect(byRequest.get(robot.requestId)?.modelName).toBe(`${name}:robot`);
      expect(new Set(rows.map((r) => r.replicaId))).toEqual(new Set([d.replicas[0].id]));

      // An adapter the deployment does not have is a clear error, not the base.
      await expect(ask(`${name}:pilot`, "hello")).rejects.toThrow(/has no adapter "pilot"/);
    } finally {
      await stop();
    }
  });
});
