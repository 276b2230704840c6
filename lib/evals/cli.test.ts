// `npm run eval` end to end on the real local engine with a tiny generated model: exit 0 when the
// thresholds hold, 1 naming each one that fails, 2 for bad arguments.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeTestModel } from "@/lib/gguf/test-model";
import { parseEvalArgs } from "./cli-args";

let dir: string;
const root = path.resolve(import.meta.dirname, "../..");

function evalCli(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, KINDLING_DATA_DIR: path.join(dir, "data") };
  delete env.DATABASE_URL;
  const r = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["--conditions=react-server", "lib/evals/cli.ts", ...args], { cwd: root, env, encoding: "utf8", timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "kindling-eval-cli-"));
  mkdirSync(path.join(dir, "data", "models"), { recursive: true });
  await writeTestModel(path.join(dir, "data", "models", "tiny-a.gguf"), { seed: 1, allowEnd: true, contextLength: 512 });
  const lines = [
    { messages: [{ role: "user", content: "Say hi" }, { role: "assistant", content: "hi" }] },
    { messages: [{ role: "user", content: "Say yes" }, { role: "assistant", content: "yes" }] },
  ];
  writeFileSync(path.join(dir, "cases.jsonl"), lines.map((l) => JSON.stringify(l)).join("\n"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run eval", () => {
  it("exits 0 when every threshold holds, printing the table", () => {
    const r = evalCli(["--suite", path.join(dir, "cases.jsonl"), "--models", "tiny-a", "--grader", "regex", "--pattern", ".*", "--min-quality", "1", "--max-p95-ttft-ms", "60000", "--max-tokens", "8"]);
    expect(r.stderr).not.toContain("FAILED");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^model\s+cases\s+errors\s+quality/m);
    expect(r.stdout).toMatch(/tiny-a\s+2\s+0\s+1\.000/);
  }, 250_000);

  it("exits 1 and names each failed threshold", () => {
    const r = evalCli(["--suite", path.join(dir, "cases.jsonl"), "--models", "tiny-a", "--grader", "regex", "--pattern", "^$", "--min-quality", "0.5", "--max-p95-ttft-ms", "0.001", "--max-tokens", "8"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("FAILED tiny-a: quality 0.000 is below --min-quality 0.5");
    expect(r.stderr).toMatch(/FAILED tiny-a: p95 time to first token [\d.]+ ms is above --max-p95-ttft-ms 0.001/);
  }, 250_000);

  it("exits 2 with the usage for bad arguments", () => {
    const r = evalCli(["--models", "tiny-a"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--suite is required");
  });
});

describe("npm run eval --url", () => {
  const base = ["--suite", "cases.jsonl", "--models", "a"];
  it("takes the console's address with or without /v1, and the key from --key or KINDLING_API_KEY", () => {
    expect(parseEvalArgs([...base, "--url", "http://host:3000/v1/", "--key", "kdl_x"])).toMatchObject({ url: "http://host:3000", key: "kdl_x" });
    expect(parseEvalArgs([...base, "--url", "https://k.example.com/kindling"], { apiKey: "kdl_env" })).toMatchObject({ url: "https://k.example.com/kindling", key: "kdl_env" });
    expect(parseEvalArgs(base, { apiKey: "kdl_env" })).toMatchObject({ url: undefined, key: undefined });
  });
  it("names what is wrong with the address or the key", () => {
    expect(() => parseEvalArgs([...base, "--url", "host:3000", "--key", "k"])).toThrow("--url must start with http:// or https:// (got host:3000).");
    expect(() => parseEvalArgs([...base, "--url", "not a url", "--key", "k"])).toThrow("--url must be the console's address");
    expect(() => parseEvalArgs([...base, "--url", "http://host:3000"])).toThrow("--url needs an API key: --key kdl_... or KINDLING_API_KEY");
    expect(() => parseEvalArgs([...base, "--key", "kdl_x"])).toThrow("--key is only used with --url.");
  });
});
