/** The two Electron IPC channels that carry every API call and event. */
export const IPC_INVOKE = 'deeppose:invoke';
export const IPC_EVENT = 'deeppose:event';
