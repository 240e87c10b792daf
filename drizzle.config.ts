import { defineConfig } from "drizzle-kit";

// `npx drizzle-kit generate` writes SQL migrations to `drizzle/`; the app applies them at
// start (lib/db/client.ts). No database is needed to generate.
export default defineConfig({
  dialect: "sqlite",
  schema: "./lib/db/schema.ts",
  out: "./drizzle",
});
