// `npm run dist` without an Electron download: electron-builder packages the built app (out/)
// for Linux into a folder, around a stand-in Electron (a file with Electron's fuse wire), with
// no native rebuild (that step fetches Electron's headers). What comes out is what an installer
// would hold: the app in app.asar with every process entry, the native addons and their
// libraries in app.asar.unpacked, and the executable's fuses flipped by the afterPack hook.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { makeTempDir, repoRoot } from '../support/paths';
import { unpackedPath } from '../../src-main/core/files/package-root';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's default wire: RunAsNode 1, cookie encryption 0, NODE_OPTIONS 1, inspect 1,
// asar integrity 0, only-asar 0, browser V8 snapshot 0, file:// privileges 1, a ninth 1.
const DEFAULT_WIRE = '101100011';

interface Asar {
  listPackage(archive: string, options: { isPack: boolean }): string[];
  statFile(archive: string, path: string): { unpacked?: boolean };
  extractFile(archive: string, path: string): Buffer;
}
const builderRequire = createRequire(createRequire(join(repoRoot, 'package.json')).resolve('app-builder-lib'));
const asar = builderRequire('@electron/asar') as Asar;

test(
  'electron-builder packages the built app: entries in app.asar, natives unpacked, fuses flipped',
  { timeout: 300_000 },
  (t) => {
    assert.ok(existsSync(join(repoRoot, 'out', 'main', 'index.js')), 'build the app first (npm run build)');
    const temp = makeTempDir('deeppose-dist-');
    t.after(temp.cleanup);
    const electronDist = join(temp.dir, 'electron');
    mkdirSync(electronDist);
    const binary = Buffer.concat([
      Buffer.from('#!/bin/sh\nexit 0\n'),
      Buffer.alloc(64),
      Buffer.from(SENTINEL),
      Buffer.from([1, DEFAULT_WIRE.length]),
      Buffer.from(DEFAULT_WIRE),
      Buffer.alloc(64),
    ]);
    writeFileSync(join(electronDist, 'electron'), binary);
    chmodSync(join(electronDist, 'electron'), 0o755);
    writeFileSync(
      join(electronDist, 'version'),
      JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'electron', 'package.json'), 'utf8')).version,
    );
    const output = join(temp.dir, 'dist');

    const cli = createRequire(join(repoRoot, 'package.json')).resolve('electron-builder/cli.js');
    const run = spawnSync(
      process.execPath,
      [
        cli,
        '--dir',
        '--linux',
        '--x64',
        '--publish',
        'never',
        '-c.npmRebuild=false',
        `-c.electronDist=${electronDist}`,
        `-c.directories.output=${output}`,
      ],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 280_000,
        env: { ...process.env, CI: '' },
      },
    );
    assert.equal(run.status, 0, `electron-builder failed:\n${run.stdout}\n${run.stderr}`);

    const appDir = join(output, 'linux-unpacked');
    const archive = join(appDir, 'resources', 'app.asar');
    assert.ok(existsSync(archive), 'resources/app.asar');
    const files = asar.listPackage(archive, { isPack: false }).map((path) =>
      path
        .replace(/^[\\/]/, '')
        .split('\\')
        .join('/'),
    );
    const manifest = JSON.parse(asar.extractFile(archive, 'package.json').toString()) as { main: string };
    assert.equal(manifest.main, 'out/main/index.js');

    // The app and every process main and the core host start, read from the asar.
    const host = readdirSync(join(repoRoot, 'out', 'main', 'chunks')).find((name) =>
      name.startsWith('core-host-entry-'),
    );
    for (const entry of [
      'out/main/index.js',
      'out/main/worker.js',
      'out/main/import-write-thread.js',
      `out/main/chunks/${host}`,
      'out/preload/index.cjs',
      'out/renderer/index.html',
    ]) {
      assert.ok(files.includes(entry), `${entry} is in app.asar`);
      assert.ok(!asar.statFile(archive, entry).unpacked, `${entry} loads from the asar`);
    }
    assert.ok(
      !files.some((path) => path.startsWith('src-') || path.startsWith('test/') || path.endsWith('.map')),
      'no sources, tests or source maps',
    );
    assert.ok(
      !files.some((path) =>
        /^node_modules\/(electron|electron-builder|electron-vite|typescript|svelte|vite)\//.test(path),
      ),
      'no devDependencies',
    );

    // Every native addon and shared library: unpacked, on disk beside the asar.
    const natives = files.filter((path) => /\.node$|\.so(\.\d+)*$|\.dylib$|\.dll$/.test(path));
    for (const required of [
      /better-sqlite3\/.*\.node$/,
      /onnxruntime-node\/.*linux\/x64\/.*\.node$/,
      /@img\/sharp-linux-x64\/.*\.node$/,
      /@img\/sharp-libvips-linux-x64\/lib\/libvips-cpp\.so/,
    ]) {
      assert.ok(
        natives.some((path) => required.test(path)),
        `${required} is packaged`,
      );
    }
    // The oneDNN training step, where this checkout built it, and where the worker will look for it.
    if (existsSync(join(repoRoot, 'native', 'build', 'onednn_step.node'))) {
      assert.ok(natives.includes('native/build/onednn_step.node'), 'the oneDNN step is packaged');
      assert.ok(
        existsSync(unpackedPath(join(appDir, 'resources', 'app.asar', 'native', 'build', 'onednn_step.node'))),
        'the addon lies where onednn-addon.ts looks in a packaged app',
      );
    }
    const packed = natives.filter(
      (path) =>
        !asar.statFile(archive, path).unpacked || !existsSync(join(appDir, 'resources', 'app.asar.unpacked', path)),
    );
    assert.deepEqual(packed, [], 'native files left inside the asar');

    const executable = readFileSync(join(appDir, 'deeppose-studio'));
    const at = executable.indexOf(SENTINEL) + SENTINEL.length;
    assert.equal(
      executable.subarray(at + 2, at + 2 + DEFAULT_WIRE.length).toString(),
      '010011001',
      'fuses: RunAsNode off, cookies encrypted, NODE_OPTIONS off, inspect off, asar integrity on, only asar on, file:// privileges off',
    );
  },
);
