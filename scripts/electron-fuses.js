// electron-builder's afterPack hook (package.json "build.afterPack"): flips Electron's fuses in
// the packaged binary. afterPack runs before electron-builder signs the app, so the signature
// covers the flipped binary. The hook reads the wire back and fails the build if a fuse did not
// take. @electron/fuses comes with electron-builder (app-builder-lib depends on it).
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Fuse name (@electron/fuses' FuseV1Options) → the value every package ships with. */
export const FUSES = Object.freeze({
  // No `ELECTRON_RUN_AS_NODE`: the binary cannot be used as a plain Node. The studio starts its
  // processes with utilityProcess.fork, never child_process.fork.
  RunAsNode: false,
  EnableCookieEncryption: true,
  // No NODE_OPTIONS and no --inspect/--inspect-brk: nobody injects code through the environment
  // or the command line.
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  // app.asar's header hash is checked against the one embedded at package time (macOS, Windows).
  EnableEmbeddedAsarIntegrityValidation: true,
  // The app runs only from resources/app.asar, never from a loose resources/app folder.
  OnlyLoadAppFromAsar: true,
  // The renderer loads from app://, not file://: file pages get no extra privileges.
  GrantFileProtocolExtraPrivileges: false,
});

const requireHere = createRequire(import.meta.url);

/** @electron/fuses as electron-builder installs it (resolved through app-builder-lib, not hoisting). */
export function loadFuses() {
  const builderLib = requireHere.resolve('app-builder-lib');
  return createRequire(builderLib)('@electron/fuses');
}

/** The packaged Electron executable, named the way electron-builder names it. */
export function packagedExecutable(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas')
    return join(appOutDir, `${packager.appInfo.productFilename}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  return join(appOutDir, packager.executableName);
}

/** The @electron/fuses V1 config for FUSES (every fuse the wire has must be named there). */
export function fuseConfig(fuses, { darwinArm64 = false } = {}) {
  const { FuseVersion, FuseV1Options } = fuses;
  const config = { version: FuseVersion.V1, resetAdHocDarwinSignature: darwinArm64 };
  for (const [name, value] of Object.entries(FUSES)) {
    if (!(name in FuseV1Options)) throw new Error(`@electron/fuses does not know the fuse ${name}`);
    config[FuseV1Options[name]] = value;
  }
  return config;
}

export async function afterPack(context) {
  const fuses = loadFuses();
  const executable = packagedExecutable(context);
  // context.arch is builder-util's Arch enum; an arm64 (or universal) mac app needs its ad-hoc
  // signature redone after the flip, or it will not start before the real signing.
  const { Arch } = createRequire(requireHere.resolve('app-builder-lib'))('builder-util');
  const archName = Arch[context.arch];
  const darwinArm64 =
    (context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas') &&
    (archName === 'arm64' || archName === 'universal');
  await fuses.flipFuses(executable, fuseConfig(fuses, { darwinArm64 }));

  const wire = await fuses.getCurrentFuseWire(executable);
  const ENABLE = '1'.charCodeAt(0);
  const DISABLE = '0'.charCodeAt(0);
  for (const [name, value] of Object.entries(FUSES)) {
    const index = fuses.FuseV1Options[name];
    if (wire[index] === undefined) {
      // An older Electron whose wire is shorter than this fuse: say so, do not pretend.
      console.warn(`[fuses] ${name}: this Electron has no such fuse`);
      continue;
    }
    if (wire[index] !== (value ? ENABLE : DISABLE))
      throw new Error(`[fuses] ${name} is not ${value ? 'on' : 'off'} in ${executable}`);
  }
  console.log(
    `[fuses] ${Object.entries(FUSES)
      .map(([name, value]) => `${name}=${value ? 'on' : 'off'}`)
      .join(', ')}: ${executable}`,
  );
}

export default afterPack;
