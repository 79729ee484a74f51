// `deeppose-media://media/?path=...&variant=full|thumb`: files from allowed folders only,
// resolved by the core host through the same containment check as the browser door.
import { net, protocol, type CustomScheme } from 'electron';
import { pathToFileURL } from 'node:url';
import { MEDIA_SCHEME } from '../../src-shared/api/transport';
import { StudioError } from '../../src-shared/api/define';
import type { MediaFile } from '../../src-shared/api/core-host-protocol';
import type { MediaVariant } from '../../src-shared/api/transport';

/** Registered with app:// in one registerSchemesAsPrivileged call (Electron takes only one). */
export const MEDIA_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: MEDIA_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

export function handleMediaProtocol(resolveMedia: (path: string, variant: MediaVariant) => Promise<MediaFile>): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const url = new URL(request.url);
    try {
      const media = await resolveMedia(
        url.searchParams.get('path') ?? '',
        url.searchParams.get('variant') === 'thumb' ? 'thumb' : 'full',
      );
      return net.fetch(pathToFileURL(media.path).href);
    } catch (error) {
      const status = error instanceof StudioError && error.kind === 'forbidden' ? 403 : 404;
      return new Response((error as Error).message, { status });
    }
  });
}
