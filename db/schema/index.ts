export * from "./auth";
export * from "./audit-log";
export * from "./providers";
export * from "./usage";
export * from "./saved-prompts";
export * from "./usage-rollups";
export * from "./ttft-budgets";
export * from "./evals";
