export * from "./auth";
export * from "./audit-log";
export * from "./providers";
export * from "./usage";
export * from "./saved-prompts";
export * from "./jobs";
export * from "./datasets";
export * from "./fine-tuning";
