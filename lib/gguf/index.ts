// Public entry of lib/gguf: GGUF v3 read/write, Llama models and LoRA adapters, test models.

export { writeGguf } from "./writer";
export { readGguf, readTensorData, ggufValue, tensorElementCount, type GgufFile, type GgufTensorInfo } from "./reader";
export type { GgufMetadata, GgufValue, GgufScalarType, GgufTensorInput } from "./types";
export {
  writeLlamaGguf,
  readLlamaGguf,
  writeLoraAdapterGguf,
  llamaTensorShapes,
  headDim,
  LLAMA_BLOCK_WEIGHTS,
  type LlamaHParams,
  type LlamaModelFile,
  type LoraTensorPair,
  type WriteLlamaOptions,
} from "./llama";
export { llamaForward, llamaGreedy } from "./forward";
export { createTestModel, writeTestModel, isTestModelToken, type TestModelOptions } from "./test-model";
