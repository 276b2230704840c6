// JSON schemas come from members (response formats, tool parameters). Compiling one with Ajv
// generates and evaluates code, which can take seconds for a hostile schema, and a `pattern` can
// backtrack for ever on a model's answer. Both run in a worker thread with a deadline, so the
// console's event loop never waits on them; the worker is replaced when a job overruns.
import { Worker } from "node:worker_threads";
import { AppError } from "@/lib/errors";
import { processSingleton } from "@/lib/process-singleton";
import { WORKER_SOURCE } from "./worker-source";

/** Longest schema accepted, in characters of its JSON text. */
export const MAX_SCHEMA_CHARS = 32_000;
/** Deepest nesting of objects and arrays accepted in a schema. */
export const MAX_SCHEMA_DEPTH = 32;

/** Why a schema is refused before it is compiled, or null; `field` names it for the member. */
export function schemaSizeProblem(schema: unknown): string | null {
  const text = JSON.stringify(schema) ?? "";
  if (text.length > MAX_SCHEMA_CHARS) {
    return `The schema is ${text.length.toLocaleString("en")} characters; at most ${MAX_SCHEMA_CHARS.toLocaleString("en")} are accepted.`;
  }
  const depth = (value: unknown, level: number): number => {
    if (level > MAX_SCHEMA_DEPTH || value === null || typeof value !== "object") return level;
    let deepest = level;
    for (const child of Object.values(value)) deepest = Math.max(deepest, depth(child, level + 1));
    return deepest;
  };
  if (depth(schema, 0) > MAX_SCHEMA_DEPTH) return `The schema nests deeper than ${MAX_SCHEMA_DEPTH} levels.`;
  return null;
}

type Job =
  | { op: "compile"; schema: unknown }
  | { op: "validate"; schema: unknown; value: unknown };
type Reply = { id: number; ok: true; valid?: boolean; path?: string; message?: string } | { id: number; ok: false; message: string };

interface Pending {
  job: Job & { id: number };
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
}

export interface SchemaCheckerOptions {
  draft?: "07" | "2020";
  /** How long one compile or validation may take before the worker is replaced. */
  timeoutMs?: number;
  /** Compiled schemas kept in the worker. */
  cacheSize?: number;
  /** Jobs waiting beyond this are refused as UNAVAILABLE. */
  maxQueue?: number;
  /** Where node_modules/ajv is found (the app's root). */
  root?: string;
}

export class SchemaChecker {
  private worker: Worker | null = null;
  private queue: Pending[] = [];
  private current: (Pending & { timer: NodeJS.Timeout }) | null = null;
  private nextId = 1;
  private readonly options: Required<SchemaCheckerOptions>;

  constructor(options: SchemaCheckerOptions = {}) {
    this.options = { draft: "07", timeoutMs: 10_000, cacheSize: 16, maxQueue: 64, root: process.cwd(), ...options };
  }

  /** null when the schema compiles, else Ajv's one-line reason. */
  async compileError(schema: unknown): Promise<string | null> {
    const reply = await this.run({ op: "compile", schema });
    return reply.ok ? null : reply.message;
  }

  /** Whether `value` matches; `error` names the first violation (or why the schema did not compile). */
  async validate(schema: unknown, value: unknown): Promise<{ valid: boolean; path?: string; error?: string }> {
    const reply = await this.run({ op: "validate", schema, value });
    if (!reply.ok) return { valid: false, error: `The schema does not compile: ${reply.message}` };
    return reply.valid ? { valid: true } : { valid: false, path: reply.path, error: reply.message };
  }

  /** Stops the worker; a later call starts a new one. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private run(job: Job): Promise<Reply> {
    if (this.queue.length >= this.options.maxQueue) {
      return Promise.reject(new AppError("UNAVAILABLE", "Too many JSON schemas are being checked right now; try again in a moment."));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { ...job, id: this.nextId++ }, resolve, reject });
      this.pump();
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { draft: this.options.draft, cacheSize: this.options.cacheSize, root: this.options.root },
      // A compile that allocates without bound dies alone instead of taking the console with it.
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    worker.unref();
    worker.on("message", (reply: Reply) => {
      const current = this.current;
      if (!current || current.job.id !== reply.id) return;
      clearTimeout(current.timer);
      this.current = null;
      current.resolve(reply);
      this.pump();
    });
    worker.on("error", (error) => this.fail(worker, error));
    worker.on("exit", () => this.fail(worker, new Error("The JSON schema worker stopped.")));
    this.worker = worker;
    return worker;
  }

  /** The worker died or overran: the job it held fails, the next job gets a new worker. */
  private fail(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    void worker.terminate();
    const current = this.current;
    this.current = null;
    if (current) {
      clearTimeout(current.timer);
      current.reject(error);
    }
    this.pump();
  }

  private pump(): void {
    if (this.current || this.queue.length === 0) return;
    const next = this.queue.shift()!;
    const worker = this.ensureWorker();
    const timer = setTimeout(() => {
      const seconds = this.options.timeoutMs / 1000;
      this.fail(worker, new AppError("VALIDATION", `Checking against this JSON schema took longer than ${seconds} s; simplify the schema.`));
    }, this.options.timeoutMs);
    this.current = { ...next, timer };
    worker.postMessage(next.job);
  }
}

/** The process's checker (draft-07, as OpenAI's structured outputs), one worker thread. */
export function getSchemaChecker(): SchemaChecker {
  return processSingleton("json-schema-checker", () => new SchemaChecker());
}
