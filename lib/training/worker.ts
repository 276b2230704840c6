// A data-parallel training worker: copies the shared weights into its WASM memory, runs forward and
// backward over its share of a step's rows, and leaves the gradient in its shared buffer.
import { parentPort, workerData } from "node:worker_threads";
import { countingBackend, wasmBackend } from "./backend";
import { Model, type LoraConfig, type ModelConfig, type Row } from "./model";

export interface WorkerInit {
  cfg: ModelConfig;
  lora: LoraConfig | null;
  maxT: number;
  wasmFile: string;
  params: SharedArrayBuffer;
  loraParams: SharedArrayBuffer | null;
  grad: SharedArrayBuffer;
  rows: Row[];
}

export type WorkerRequest =
  | { type: "step"; rows: number[]; lossScale: number }
  | { type: "eval"; rows: number[] };

export interface WorkerReply {
  loss: number;
  count: number;
}

const init = workerData as WorkerInit;
const counter = countingBackend();
new Model(init.cfg, counter, init.maxT, init.lora);
const model = new Model(init.cfg, wasmBackend(init.wasmFile, counter.floats), init.maxT, init.lora);
const sharedParams = new Float32Array(init.params);
const sharedLora = init.loraParams ? new Float32Array(init.loraParams) : null;
const sharedGrad = new Float32Array(init.grad);

parentPort!.on("message", (req: WorkerRequest) => {
  try {
    model.params.set(sharedParams);
    if (sharedLora) model.lora!.set(sharedLora);
    let loss = 0, count = 0;
    if (req.type === "step") model.zeroGrad();
    for (const i of req.rows) {
      const r = model.forward(init.rows[i]);
      loss += r.loss;
      count += r.count;
      if (req.type === "step" && r.count > 0) model.backward(req.lossScale);
    }
    if (req.type === "step") sharedGrad.set(model.grad);
    parentPort!.postMessage({ loss, count } satisfies WorkerReply);
  } catch (e) {
    parentPort!.postMessage({ error: (e as Error).stack ?? String(e) });
  }
});
