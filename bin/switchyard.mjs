#!/usr/bin/env node
// The `switchyard` command. The CLI is TypeScript run through tsx, so a checkout needs no
// build step before `npx switchyard …` works. The tsconfig is named explicitly: tsx would look
// for one in the current folder, and `switchyard start` is run from a team's own folder (where
// its switchyard.services.json is), whose tsconfig — if any — knows nothing of our "@/" paths.
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
const { main } = await import("../lib/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
