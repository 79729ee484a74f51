// Opens the real Electron window where the Electron binary is installed. These build
// machines install with ELECTRON_SKIP_BINARY_DOWNLOAD=1, so here it is skipped, saying why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { makeTempDir, repoRoot } from '../support/paths';

function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown as string;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();

test(
  'the desktop window opens the studio shell',
  {
    skip: binary
      ? false
      : 'Electron binary not installed (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1): the desktop window cannot open on this machine',
  },
  async (t) => {
    const { dir, cleanup } = makeTempDir();
    t.after(cleanup);
    const app = await electron.launch({
      executablePath: binary!,
      args: [join(repoRoot, 'out', 'main', 'index.js')],
      env: { ...process.env, DEEPPOSE_HOME: dir },
    });
    try {
      const window = await app.firstWindow();
      await window
        .getByTestId('studio-status')
        .getByText(/desktop/)
        .waitFor({ timeout: 20_000 });
      assert.equal(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require), 'undefined');
    } finally {
      await app.close();
    }
  },
);
