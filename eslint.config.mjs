import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Layers import one way: app -> components, lib; components -> lib; lib -> db. Never back up.
const layer = (from, forbidden, message, allowed = []) => ({
  files: [`${from}/**/*.{ts,tsx}`],
  rules: {
    "no-restricted-imports": [
      "error",
      { patterns: forbidden.map((group) => ({ group: allowed.length ? [`@/${group}/*`, ...allowed.map((a) => `!${a}`)] : [`@/${group}/*`, `@/${group}`], message })) },
    ],
  },
});

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", ".data/**", "node_modules/**", "next-env.d.ts", "test-results/**", "playwright-report/**", "lib/training/kernel/assembly/**"],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  layer("app", ["db"], "app/ reaches the database through lib/ (which scopes and audits); never import db/ here."),
  layer("components", ["app", "db"], "components/ get data through props; they never import app/ or db/."),
  layer("lib", ["app", "components"], "lib/ is the domain: it never imports app/ or components/."),
  // Except two leaf modules that import nothing themselves: the configuration and the per-process holder.
  layer("db", ["app", "components", "lib"], "db/ is the bottom layer: it imports nothing from above it.", ["@/lib/env", "@/lib/process-singleton"]),
];

export default config;
