// Where oneDNN's headers and library live, for binding.gyp: `node find-onednn.cjs include|lib`.
// Looks where each platform's package manager puts it: pkg-config (dnnl.pc), Debian's
// libdnnl-dev (/usr), Homebrew's `onednn` (brew --prefix), vcpkg's `onednn` (VCPKG_ROOT),
// and a prefix given as ONEDNN_ROOT (a build location, not a behaviour switch).
'use strict';
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

function quiet(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

function prefixes() {
  const found = [];
  if (process.env.ONEDNN_ROOT) found.push(process.env.ONEDNN_ROOT);
  const pc = quiet('pkg-config', ['--variable=prefix', 'dnnl']);
  if (pc) found.push(pc);
  if (process.platform === 'darwin') {
    const brew = quiet('brew', ['--prefix', 'onednn']);
    if (brew) found.push(brew);
    found.push('/opt/homebrew', '/usr/local');
  }
  if (process.platform === 'win32' && process.env.VCPKG_ROOT)
    found.push(join(process.env.VCPKG_ROOT, 'installed', 'x64-windows'));
  found.push('/usr', '/usr/local');
  return found;
}

const prefix = prefixes().find((p) => existsSync(join(p, 'include', 'oneapi', 'dnnl', 'dnnl.hpp')));
if (!prefix) {
  process.stderr.write(
    'oneDNN not found (Debian: libdnnl-dev; macOS: brew install onednn; Windows: vcpkg install onednn; or set ONEDNN_ROOT)\n',
  );
  process.exit(1);
}
const what = process.argv[2];
const libDir =
  ['lib/x86_64-linux-gnu', 'lib/aarch64-linux-gnu', 'lib64', 'lib']
    .map((d) => join(prefix, d))
    .find((d) => existsSync(d)) ?? join(prefix, 'lib');
process.stdout.write(what === 'include' ? join(prefix, 'include') : what === 'lib' ? libDir : prefix);
