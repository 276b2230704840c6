export * from "./auth";
export * from "./audit-log";
export * from "./providers";
export * from "./models";
export * from "./model-prices";
export * from "./usage";
export * from "./saved-prompts";
export * from "./jobs";
