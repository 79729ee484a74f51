// The renderer's one API client. It never knows which door it came through: the desktop
// preload puts a bridge on `window`; without it we are in a browser talking to `serve`.
import { createApiClient } from '../../../../src-shared/api/client';
import type { DesktopBridge } from '../../../../src-shared/api/transport';
import { ipcTransport } from './transport-ipc';
import { webSocketTransport } from './transport-ws';
import { forgetTokenInAddress } from './forget-token';

const bridge = (window as unknown as { deeppose?: DesktopBridge }).deeppose;

// In a browser the page was loaded with `?token=`, and the cookie it set carries the token from now on.
if (!bridge) forgetTokenInAddress(window.location, window.history);

export const api = createApiClient(bridge ? ipcTransport(bridge) : webSocketTransport(window.location));

/** The desktop can open the system's file manager (files.reveal); a browser page cannot. */
export const canShowInFolder = bridge != null;
