import type { StudioContext } from '../../studio-context';
import type { HandlersOf } from '../dispatch';
import type { fileCalls } from '../../../../src-shared/api/files.contract';
import { browseFolder, makeFolder } from '../../files/browse-folder';

export function fileHandlers(ctx: StudioContext): HandlersOf<typeof fileCalls> {
  const bases = ctx.allow ? [...ctx.allow, ctx.home] : undefined;
  return {
    // The desktop shell answers 'files.pick' itself with Electron's dialog before the call
    // reaches the core; every other door lets the renderer show its folder browser.
    'files.pick': () => ({ status: 'unavailable' as const }),
    // Likewise 'files.reveal' (the file manager); a browser cannot open one.
    'files.reveal': () => ({ status: 'unavailable' as const }),
    // On serve the browser starts from the --allow roots, the same places its calls may name.
    'files.browse': (input) => browseFolder(input, ctx.roots, bases),
    // Only where the browser may list; the new folder passes the output rule every writer follows.
    'files.makeFolder': ({ parent, name }) => makeFolder(parent, name, ctx.roots, bases),
  };
}
