// better-sqlite3 is a V8-API addon: the desktop app needs it rebuilt for Electron's ABI.
// That rebuild downloads Electron's headers, so it is skipped where the Electron binary is
// skipped too (these build machines, CI); the Node doors (serve, CLI, tests) then use the
// Node build that npm made. Desktop installs get the Electron build; `npm rebuild
// better-sqlite3` brings back the Node one.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log(
    '[postinstall] ELECTRON_SKIP_BINARY_DOWNLOAD is set: better-sqlite3 stays built for Node, not rebuilt for Electron.',
  );
  process.exit(0);
}
const electronVersion = JSON.parse(
  readFileSync(new URL('../node_modules/electron/package.json', import.meta.url), 'utf8'),
).version;
const result = spawnSync(
  'npm',
  [
    'rebuild',
    'better-sqlite3',
    '--runtime=electron',
    `--target=${electronVersion}`,
    '--dist-url=https://electronjs.org/headers',
  ],
  {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  },
);
process.exit(result.status ?? 1);
