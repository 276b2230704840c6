import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
const alias = { "@": root, "server-only": `${root}lib/testing/server-only-stub.ts` };
const exclude = ["node_modules/**", ".next/**", ".data/**", "e2e/**"];

// Database tests (*.db.test.ts) run twice: on embedded PGlite and on a PostgreSQL server.
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["**/*.test.ts"],
          exclude: [...exclude, "**/*.db.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "db-pglite",
          include: ["**/*.db.test.ts"],
          exclude,
          env: { KINDLING_TEST_DB: "pglite" },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "db-postgres",
          include: ["**/*.db.test.ts"],
          exclude,
          env: { KINDLING_TEST_DB: "postgres" },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
