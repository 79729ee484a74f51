#!/usr/bin/env node
// Runs the built CLI; `npm run build` makes it.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error("deeppose: the studio is not built yet: run 'npm run build' first");
  process.exit(1);
}
await import(pathToFileURL(cli).href);
