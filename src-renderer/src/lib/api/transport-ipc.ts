import { MEDIA_SCHEME, type DesktopBridge, type Transport } from '../../../../src-shared/api/transport';

/** The desktop door: calls go through the preload's narrow bridge. */
export function ipcTransport(bridge: DesktopBridge): Transport {
  return {
    invoke: (channel, input) => bridge.invoke(channel, input),
    onEvent: (listener) => bridge.onEvent(listener),
    mediaUrl: (path, variant) => `${MEDIA_SCHEME}://media/?path=${encodeURIComponent(path)}&variant=${variant}`,
  };
}
