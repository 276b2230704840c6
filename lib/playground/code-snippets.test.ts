import { describe, expect, it } from "vitest";
import { gatewayEndpoint, curlSnippet, pythonLiteral, pythonSnippet, typescriptSnippet } from "./code-snippets";

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
  it("curl sends the exact body through a quoted heredoc and reads the key from the environment", () => {
    const curl = curlSnippet(input);
    expect(curl).toContain("curl -N http://127.0.0.1:4100/v1/chat/completions");
    expect(curl).toContain('-H "Authorization: Bearer $TOGETHER_API_KEY"');
    const json = curl.slice(curl.indexOf("<<'JSON'\n") + 8, curl.lastIndexOf("\nJSON"));
    expect(JSON.parse(json)).toEqual({ model: "meta/llama-3", messages: input.messages, ...input.params, stream: true, stream_options: { include_usage: true } });
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
    expect(ts).toContain("apiKey: process.env.TOGETHER_API_KEY");
    expect(ts).toContain('"seed": 42');
    expect(ts).not.toMatch(/sk-[a-z0-9]/i);
  });

  it("points every snippet at the console's gateway with the key from KINDLING_API_KEY", () => {
    const e = gatewayEndpoint("http://console.example:3000/", "kindling-starter");
    expect(e).toMatchObject({ baseUrl: "http://console.example:3000/v1", model: "kindling-starter", apiKeyEnv: "KINDLING_API_KEY" });
  });
});
