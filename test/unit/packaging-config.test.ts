// `npm run dist` packages the desktop app with electron-builder (package.json "build"). No
// Electron binary can be downloaded on these machines, so these tests hold the configuration
// to what a packaged app needs: the app in an asar, every native addon the built code can load
// (and the shared libraries beside it) unpacked from it, the process entries main forks inside
// it, and the fuses hook flipping exactly the fuses the studio ships with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeTempDir, repoRoot } from '../support/paths';

interface BuildConfig {
  appId?: string;
  productName?: string;
  asar?: boolean;
  files?: string[];
  asarUnpack?: string[];
  afterPack?: string;
  npmRebuild?: boolean;
  directories?: { output?: string };
  linux?: { target?: string[] };
  mac?: { target?: string[] };
  win?: { target?: string[] };
  electronFuses?: unknown;
}
interface PackageJson {
  main: string;
  scripts: Record<string, string>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  build?: BuildConfig;
}

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as PackageJson;
const build = pkg.build ?? {};

/** electron-builder's own minimatch, with the options its file matchers use ({ dot: true }). */
const builderRequire = createRequire(createRequire(join(repoRoot, 'package.json')).resolve('app-builder-lib'));
const { minimatch } = builderRequire('minimatch') as {
  minimatch: (path: string, pattern: string, options: { dot: boolean }) => boolean;
};
const matches = (path: string, pattern: string) => minimatch(path, pattern, { dot: true });

/** True when electron-builder's `files` list keeps this app-relative path (later patterns win). */
function keptByFiles(path: string): boolean {
  let kept = false;
  for (const pattern of build.files ?? []) {
    if (pattern.startsWith('!')) {
      if (matches(path, pattern.slice(1))) kept = false;
    } else if (matches(path, pattern)) kept = true;
  }
  return kept;
}
const unpacked = (path: string) => (build.asarUnpack ?? []).some((pattern) => matches(path, pattern));

test('`npm run dist` builds the app and packages it with electron-builder', () => {
  assert.match(pkg.scripts.dist ?? '', /electron-vite build && electron-builder\b/);
  assert.doesNotMatch(pkg.scripts.dist, /--publish (always|onTag)/, 'dist never publishes');
  assert.ok(build.appId && /^[\w-]+(\.[\w-]+)+$/.test(build.appId), 'appId is a reverse-DNS id');
  assert.equal(build.productName, 'DeepPose Studio');
  assert.deepEqual([...(build.linux?.target ?? [])].sort(), ['AppImage', 'deb']);
  assert.deepEqual(build.mac?.target, ['dmg']);
  assert.deepEqual(build.win?.target, ['nsis']);
  assert.notEqual(build.npmRebuild, false, 'native addons are rebuilt for Electron when packaging');
  assert.ok(
    build.directories?.output && build.directories.output !== 'out',
    'installers do not land in the build folder',
  );
});

test('the app is an asar holding the build, its package.json and the runtime node_modules', () => {
  assert.equal(build.asar, true);
  assert.ok(keptByFiles('package.json'));
  assert.ok(keptByFiles(pkg.main), `${pkg.main} (package.json "main") is packaged`);
  assert.ok(keptByFiles('out/preload/index.cjs'));
  assert.ok(keptByFiles('out/renderer/index.html'));
  assert.ok(keptByFiles('out/renderer/assets/index-abc123.js'));
  assert.ok(keptByFiles('node_modules/better-sqlite3/lib/index.js'));
  for (const source of [
    'src-main/desktop/index.ts',
    'test/unit/packaging-config.test.ts',
    'bench/pytorch_reference.py',
    'test-artifacts/x.png',
  ]) {
    assert.ok(!keptByFiles(source), `${source} stays out of the package`);
  }
  // The app loads from the asar: its entry is never unpacked.
  assert.ok(!unpacked(pkg.main));
});

test('the processes main and the core host start are built files inside the package', () => {
  // utilityProcess.fork and worker_threads read them from the asar (Electron supports both);
  // they are found next to the bundle by worker-launcher's bundleEntry.
  const entries = [
    'out/main/index.js',
    'out/main/worker.js',
    'out/main/import-write-thread.js',
    'out/main/chunks/core-host-entry-0123abcd.js',
  ];
  const built = join(repoRoot, 'out', 'main');
  if (existsSync(built)) {
    const host = readdirSync(join(built, 'chunks')).find((name) => name.startsWith('core-host-entry-'));
    assert.ok(host, 'out/main/chunks holds the core host entry');
    entries.push(`out/main/chunks/${host}`);
    for (const name of readdirSync(built).filter((name) => name.endsWith('.js'))) entries.push(`out/main/${name}`);
  }
  for (const entry of entries) assert.ok(keptByFiles(entry), `${entry} is packaged`);
});

/** Every runtime dependency named by the built main code (or, without a build, by its sources). */
function packagesTheAppLoads(): Set<string> {
  const runtime = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies });
  const names = new Set<string>();
  const scan = (dir: string, ext: RegExp) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) scan(path, ext);
      else if (ext.test(name)) {
        for (const [, literal] of readFileSync(path, 'utf8').matchAll(
          /["'`]((?:@[\w.-]+\/)?[\w.-]+)(?:\/[^"'`\s]*)?["'`]/g,
        )) {
          if (runtime.includes(literal)) names.add(literal);
        }
      }
    }
  };
  scan(join(repoRoot, 'src-main'), /\.ts$/);
  if (existsSync(join(repoRoot, 'out', 'main'))) scan(join(repoRoot, 'out', 'main'), /\.js$/);
  return names;
}

/** The installed package folder for `name` as Node resolves it from `fromDir`, or null. */
function packageDir(name: string, fromDir: string): string | null {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

/** The packages the app loads and, transitively, everything they depend on (installed ones). */
function runtimeClosure(): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (name: string, fromDir: string) => {
    const dir = packageDir(name, fromDir);
    if (!dir || found.has(dir)) return;
    found.set(dir, name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) visit(dep, dir);
  };
  for (const name of packagesTheAppLoads()) visit(name, repoRoot);
  return found;
}

/** Native addons and the shared libraries they load, inside one package (not its nested packages). */
function nativeFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) continue;
    if (stat.isDirectory()) {
      if (name !== 'node_modules') files.push(...nativeFiles(path));
    } else if (/\.node$|\.so(\.\d+)*$|\.dylib$|\.dll$/.test(name)) files.push(path);
  }
  return files;
}

test('every native addon the built app can load, and every library beside it, is unpacked from the asar', () => {
  const closure = runtimeClosure();
  const natives: string[] = [];
  for (const dir of closure.keys()) natives.push(...nativeFiles(dir));
  const appPaths = natives.map((file) => relative(repoRoot, file).split(sep).join('/'));
  const packagesWithAddons = new Set(
    [...closure].filter(([dir]) => nativeFiles(dir).some((f) => f.endsWith('.node'))).map(([, name]) => name),
  );

  // What this machine has installed; a desktop adds its platform's @img/sharp-* and, where
  // it installs, @tensorflow/tfjs-node(-gpu) — the globs cover those by name too.
  for (const expected of ['better-sqlite3', 'onnxruntime-node'])
    assert.ok(packagesWithAddons.has(expected), `${expected} is found as a native addon the app loads`);
  assert.ok(
    [...packagesWithAddons].some((name) => name.startsWith('@img/sharp-')),
    "sharp's platform addon is found",
  );
  assert.ok(
    appPaths.some((path) => /@img\/sharp-libvips-[^/]+\/lib\/libvips/.test(path)),
    "sharp's libvips is found",
  );

  const missing = appPaths.filter((path) => !unpacked(path));
  assert.deepEqual(missing, [], 'native files the asar would hold (add them to build.asarUnpack)');
  for (const optional of [
    '@tensorflow/tfjs-node',
    '@tensorflow/tfjs-node-gpu',
    '@img/sharp-darwin-arm64',
    '@img/sharp-libvips-darwin-arm64',
    '@img/sharp-win32-x64',
  ]) {
    assert.ok(
      unpacked(`node_modules/${optional}/lib/x.node`) && unpacked(`node_modules/${optional}/lib/libx.dylib`),
      `${optional} would be unpacked`,
    );
  }
});

interface FusesHook {
  FUSES: Record<string, boolean>;
  afterPack(context: unknown): Promise<void>;
  loadFuses(): { FuseV1Options: Record<string, number | string> };
}
const loadHook = async () =>
  (await import(pathToFileURL(join(repoRoot, build.afterPack ?? 'missing')).href)) as FusesHook;

test('an afterPack hook flips the fuses the studio ships with', async () => {
  assert.equal(build.afterPack, './scripts/electron-fuses.js');
  assert.equal(build.electronFuses, undefined, 'one place sets the fuses: the hook');
  const { FUSES, loadFuses } = await loadHook();
  assert.deepEqual(
    { ...FUSES },
    {
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      GrantFileProtocolExtraPrivileges: false,
    },
  );
  const { FuseV1Options } = loadFuses();
  for (const name of Object.keys(FUSES))
    assert.equal(typeof FuseV1Options[name], 'number', `@electron/fuses knows ${name}`);
});

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** A stand-in Electron binary: bytes around the fuse sentinel and a V1 wire of `wire`. */
function fakeElectron(path: string, wire: string): void {
  const bytes = Buffer.concat([
    Buffer.alloc(100, 7),
    Buffer.from(SENTINEL),
    Buffer.from([1, wire.length]),
    Buffer.from(wire),
    Buffer.alloc(100, 7),
  ]);
  writeFileSync(path, bytes);
}
function wireOf(path: string): string {
  const bytes = readFileSync(path);
  const at = bytes.indexOf(SENTINEL) + SENTINEL.length;
  return bytes.subarray(at + 2, at + 2 + bytes[at + 1]).toString();
}

test('the hook writes those fuses into the packaged executable, on Linux and Windows names', async (t) => {
  const { afterPack } = await loadHook();
  const temp = makeTempDir('deeppose-fuses-');
  t.after(temp.cleanup);
  // Electron's defaults: RunAsNode, cookie encryption off, NODE_OPTIONS, inspect on, the rest
  // off, file:// privileges on; a ninth fuse this @electron/fuses does not know stays as it is.
  const defaults = '101100011';
  fakeElectron(join(temp.dir, 'deeppose-studio'), defaults);
  const packager = { executableName: 'deeppose-studio', appInfo: { productFilename: 'DeepPose Studio' } };
  await afterPack({ appOutDir: temp.dir, electronPlatformName: 'linux', arch: 1, packager });
  // RunAsNode 0, cookies 1, NODE_OPTIONS 0, inspect 0, asar integrity 1, only asar 1,
  // browser V8 snapshot untouched (0), file:// privileges 0, the unknown ninth untouched (1).
  assert.equal(wireOf(join(temp.dir, 'deeppose-studio')), '010011001');

  fakeElectron(join(temp.dir, 'DeepPose Studio.exe'), defaults);
  await afterPack({ appOutDir: temp.dir, electronPlatformName: 'win32', arch: 1, packager });
  assert.equal(wireOf(join(temp.dir, 'DeepPose Studio.exe')), '010011001');
});
