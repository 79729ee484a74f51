// `deeppose-media://media/?path=...&variant=full|thumb`: files from allowed folders only,
// resolved through the same containment check as the browser door.
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { MEDIA_SCHEME } from '../../src-shared/api/transport';
import { StudioError } from '../../src-shared/api/define';
import { resolveMedia } from '../core/media/media-request';
import type { StudioContext } from '../core/studio-context';

export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function handleMediaProtocol(ctx: StudioContext): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const url = new URL(request.url);
    try {
      const media = await resolveMedia(ctx, url.searchParams.get('path') ?? '', url.searchParams.get('variant') === 'thumb' ? 'thumb' : 'full');
      return net.fetch(pathToFileURL(media.path).href);
    } catch (error) {
      const status = error instanceof StudioError && error.kind === 'forbidden' ? 403 : 404;
      return new Response((error as Error).message, { status });
    }
  });
}
