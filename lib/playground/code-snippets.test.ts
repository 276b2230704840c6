import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { curlSnippet, gatewayEndpoint, pythonLiteral, pythonSnippet, requestBody, typescriptSnippet } from "./code-snippets";

const input = {
  baseUrl: "http://127.0.0.1:4100/v1",
  apiKeyEnv: "TOGETHER_API_KEY",
  model: "meta/llama-3",
  messages: [
    { role: "system" as const, content: "Be brief." },
    { role: "user" as const, content: "It's \"quoted\" and $HOME stays literal" },
  ],
  params: { temperature: 0.2, stop: ["\n\n"], seed: 42, response_format: { type: "json_object" as const } },
};

describe("code snippets", () => {
  it("curl quotes the URL and the exact body and reads the key from the environment", () => {
    const curl = curlSnippet(input);
    expect(curl).toContain("curl -N 'http://127.0.0.1:4100/v1/chat/completions'");
    expect(curl).toContain('-H "Authorization: Bearer $TOGETHER_API_KEY"');
  });

  it("python uses the openai client with os.environ and Python literals", () => {
    const py = pythonSnippet(input);
    expect(py).toContain('api_key=os.environ["TOGETHER_API_KEY"]');
    expect(py).toContain("stream=True");
    expect(py).toContain('"type": "json_object"');
    expect(py).not.toMatch(/\btrue\b|\bnull\b/);
    expect(pythonLiteral({ a: [true, false, null, 1.5, "x"] })).toBe('{\n    "a": [\n        True,\n        False,\n        None,\n        1.5,\n        "x",\n    ],\n}');
  });

  it("typescript uses the openai client with process.env and no inline key", () => {
    const ts = typescriptSnippet(input);
    expect(ts).toContain('apiKey: process.env["TOGETHER_API_KEY"]');
    expect(ts).toContain('"seed": 42');
    expect(ts).not.toMatch(/sk-[a-z0-9]/i);
  });

  it("points every snippet at the console's gateway with the key from KINDLING_API_KEY", () => {
    const e = gatewayEndpoint("http://console.example:3000/", "kindling-starter");
    expect(e).toMatchObject({ baseUrl: "http://console.example:3000/v1", model: "kindling-starter", apiKeyEnv: "KINDLING_API_KEY" });
  });
});

// Each snippet is run for real by its own interpreter, with the network client replaced by a recorder
// at the boundary (a `curl` on PATH, an `openai` module), and hostile values that would run a command
// if anything were left unquoted.
describe("code snippets with hostile values", () => {
  const dir = mkdtempSync(join(tmpdir(), "kindling-snippets-"));
  const pwned = join(dir, "pwned");
  const bang = `$(touch ${pwned})`;
  const hostile = {
    baseUrl: `http://127.0.0.1:9/v1;touch\${IFS}${pwned};\`touch ${pwned}\`${bang}'"\\`,
    apiKeyEnv: "TOGETHER_API_KEY",
    model: `m'; touch ${pwned}; echo '"""${bang}`,
    messages: [
      { role: "system" as const, content: `JSON\n${bang}'\\"\\\u2028 \`touch ${pwned}\` """ '''` },
      { role: "user" as const, content: `'; touch ${pwned}; '\n\nJSON\n)\n${bang}\u0007` },
    ],
    params: { temperature: 0.2, stop: [`'${bang}`], seed: 42 },
  };
  const expected = requestBody(hostile);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("curl: bash passes the URL and body to curl unchanged and runs nothing else", () => {
    const bin = join(dir, "bin");
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "curl"), `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done > ${dir}/curl-args\n`);
    chmodSync(join(bin, "curl"), 0o755);
    execFileSync("bash", ["-n", "-c", curlSnippet(hostile)]);
    execFileSync("bash", ["-c", curlSnippet(hostile)], { env: { ...process.env, PATH: `${bin}:/usr/bin:/bin`, TOGETHER_API_KEY: "k" } });
    expect(existsSync(pwned)).toBe(false);
    const args = readFileSync(join(dir, "curl-args"), "utf8").split("\0").slice(0, -1);
    expect(args[1]).toBe(`${hostile.baseUrl}/chat/completions`);
    expect(args).toContain("Authorization: Bearer k");
    expect(JSON.parse(args.at(-1)!)).toEqual(expected);
  });

  it("python: the openai client receives exactly the request", () => {
    const pkg = join(dir, "py", "openai");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(
      join(pkg, "__init__.py"),
      [
        "import json, os",
        "class _Completions:",
        "    def create(self, **kw):",
        "        json.dump({'base_url': OpenAI.base_url, **kw}, open(os.environ['OUT'], 'w'))",
        "        return []",
        "class _Chat:",
        "    completions = _Completions()",
        "class OpenAI:",
        "    def __init__(self, base_url, api_key):",
        "        OpenAI.base_url = base_url",
        "        self.chat = _Chat()",
      ].join("\n"),
    );
    const out = join(dir, "py-out.json");
    execFileSync("python3", ["-c", pythonSnippet(hostile)], { env: { ...process.env, PYTHONPATH: join(dir, "py"), OUT: out, TOGETHER_API_KEY: "k" } });
    expect(existsSync(pwned)).toBe(false);
    const { base_url: baseUrl, ...body } = JSON.parse(readFileSync(out, "utf8"));
    expect(baseUrl).toBe(hostile.baseUrl);
    expect(body).toEqual(expected);
  });

  it("typescript: the openai client receives exactly the request", () => {
    const pkg = join(dir, "ts", "node_modules", "openai");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "openai", type: "module", main: "index.js" }));
    writeFileSync(
      join(pkg, "index.js"),
      `import { writeFileSync } from "node:fs";
export default class OpenAI {
  constructor(options) {
    this.chat = { completions: { create: async (body) => { writeFileSync(process.env.OUT, JSON.stringify({ options, body })); return []; } } };
  }
}`,
    );
    const file = join(dir, "ts", "snippet.mjs");
    writeFileSync(file, typescriptSnippet(hostile));
    const out = join(dir, "ts-out.json");
    execFileSync(process.execPath, [file], { env: { ...process.env, OUT: out, TOGETHER_API_KEY: "k" } });
    expect(existsSync(pwned)).toBe(false);
    const { options, body } = JSON.parse(readFileSync(out, "utf8"));
    expect(options).toEqual({ baseURL: hostile.baseUrl, apiKey: "k" });
    expect(body).toEqual(expected);
  });

  it("refuses a key variable name that is not a plain name", () => {
    expect(() => curlSnippet({ ...hostile, apiKeyEnv: "X$(id)" })).toThrow(/environment variable name/);
  });
});
