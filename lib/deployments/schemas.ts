// Input schemas for deployments (pure zod, shared by actions, the management API and forms).
// Checks that need the database or the model files (a taken name, an unknown model, an adapter
// whose shapes do not fit) live in deployments.ts and report field errors under the same keys.
import { z } from "zod";

export const DEPLOYMENT_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;
const ADAPTER_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

export const DEPLOYMENT_DEFAULTS = {
  minReplicas: 1,
  maxReplicas: 2,
  targetConcurrency: 4,
  scaleUpWindowS: 30,
  scaleDownWindowS: 120,
  scaleToZeroAfterS: 300,
  engine: { threads: 1, parallel: 4, contextSize: null as number | null },
} as const;

/** Replicas per deployment; this console runs them on one machine. */
export const MAX_REPLICAS = 8;

const whole = (what: string, min: number, max: number) =>
  z
    .number({ message: `Enter ${what} as a whole number.` })
    .int(`Enter ${what} as a whole number.`)
    .min(min, `${what[0].toUpperCase()}${what.slice(1)} is at least ${min}.`)
    .max(max, `${what[0].toUpperCase()}${what.slice(1)} is at most ${max}.`);

export const engineSettingsSchema = z.object({
  threads: whole("threads per replica", 1, 16).default(DEPLOYMENT_DEFAULTS.engine.threads),
  parallel: whole("parallel sequences", 1, 64).default(DEPLOYMENT_DEFAULTS.engine.parallel),
  contextSize: whole("the context size", 64, 131_072).nullable().default(null),
});

export const adapterSchema = z.object({
  name: z.string().trim().regex(ADAPTER_NAME_PATTERN, "An adapter name is lowercase letters, digits and dashes (up to 32), starting and ending with a letter or digit."),
  file: z.string().trim().min(1, "Pick an adapter file.").max(200),
  scale: z.number({ message: "Enter the scale as a number." }).min(0, "The scale is at least 0.").max(4, "The scale is at most 4.").default(1),
});

const scalingFields = {
  minReplicas: whole("the minimum replicas", 0, MAX_REPLICAS),
  maxReplicas: whole("the maximum replicas", 1, MAX_REPLICAS),
  targetConcurrency: z
    .number({ message: "Enter the target concurrency as a number." })
    .min(0.5, "The target concurrency is at least 0.5 requests per replica.")
    .max(256, "The target concurrency is at most 256 requests per replica."),
  scaleUpWindowS: whole("the scale-up window", 0, 3600),
  scaleDownWindowS: whole("the scale-down window", 0, 3600),
  scaleToZeroAfterS: whole("the idle time before scaling to zero", 10, 86_400).nullable(),
};

function checkReplicaRange(v: { minReplicas?: number; maxReplicas?: number }, ctx: z.RefinementCtx) {
  if (v.minReplicas !== undefined && v.maxReplicas !== undefined && v.minReplicas > v.maxReplicas) {
    ctx.addIssue({ code: "custom", path: ["minReplicas"], message: `The minimum (${v.minReplicas}) is above the maximum (${v.maxReplicas}).` });
  }
}

function checkAdapterNames(v: { adapters?: { name: string }[] }, ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  v.adapters?.forEach((a, i) => {
    if (seen.has(a.name)) ctx.addIssue({ code: "custom", path: ["adapters", i, "name"], message: `Two adapters are named "${a.name}".` });
    seen.add(a.name);
  });
}

export const createDeploymentSchema = z
  .object({
    name: z
      .string()
      .trim()
      .toLowerCase()
      .regex(DEPLOYMENT_NAME_PATTERN, "A name is lowercase letters, digits and dashes (up to 48), starting and ending with a letter or digit."),
    modelId: z.string().trim().min(1, "Pick a base model.").max(100),
    adapters: z.array(adapterSchema).max(8, "Use at most 8 adapters.").default([]),
    engine: engineSettingsSchema.default({ ...DEPLOYMENT_DEFAULTS.engine }),
    minReplicas: scalingFields.minReplicas.default(DEPLOYMENT_DEFAULTS.minReplicas),
    maxReplicas: scalingFields.maxReplicas.default(DEPLOYMENT_DEFAULTS.maxReplicas),
    targetConcurrency: scalingFields.targetConcurrency.default(DEPLOYMENT_DEFAULTS.targetConcurrency),
    scaleUpWindowS: scalingFields.scaleUpWindowS.default(DEPLOYMENT_DEFAULTS.scaleUpWindowS),
    scaleDownWindowS: scalingFields.scaleDownWindowS.default(DEPLOYMENT_DEFAULTS.scaleDownWindowS),
    scaleToZeroAfterS: scalingFields.scaleToZeroAfterS.default(DEPLOYMENT_DEFAULTS.scaleToZeroAfterS),
    failoverModelId: z.string().trim().max(100).nullable().default(null),
  })
  .superRefine(checkReplicaRange)
  .superRefine(checkAdapterNames);

/** A partial change; min/max are checked against the stored values in lib as well. */
export const updateDeploymentSchema = z
  .object({
    name: z.string().min(1).max(100),
    adapters: z.array(adapterSchema).max(8, "Use at most 8 adapters.").optional(),
    engine: engineSettingsSchema.optional(),
    minReplicas: scalingFields.minReplicas.optional(),
    maxReplicas: scalingFields.maxReplicas.optional(),
    targetConcurrency: scalingFields.targetConcurrency.optional(),
    scaleUpWindowS: scalingFields.scaleUpWindowS.optional(),
    scaleDownWindowS: scalingFields.scaleDownWindowS.optional(),
    scaleToZeroAfterS: scalingFields.scaleToZeroAfterS.optional(),
    failoverModelId: z.string().trim().max(100).nullable().optional(),
  })
  .superRefine(checkReplicaRange)
  .superRefine(checkAdapterNames);

export const deploymentNameSchema = z.object({ name: z.string().min(1).max(100) });
export const setPausedSchema = z.object({ name: z.string().min(1).max(100), paused: z.boolean() });

export type CreateDeploymentInput = z.input<typeof createDeploymentSchema>;
export type CreateDeployment = z.output<typeof createDeploymentSchema>;
export type UpdateDeploymentInput = z.input<typeof updateDeploymentSchema>;
export type UpdateDeployment = z.output<typeof updateDeploymentSchema>;
