// Persists the workspace's edits through the API: one autosave key per instance, whose
// wanted state is its keypoints and box (or null once deleted). Instances made in this session get
// their server id on first write; an undone delete re-creates the instance under a new id.
import { ApiError } from '../../../../src-shared/api/define';
import type { Box } from '../../../../src-shared/domain/image';
import type { KeypointInput } from '../../../../src-shared/domain/keypoint';
import { api } from '../api/api';
import { AutosaveQueue, type AutosaveStatus } from './autosave';
import { sameBox } from './box-geometry';

export interface WantedInstance {
  project: string;
  imageId: number;
  /** Null: the instance should not exist. */
  keypoints: readonly KeypointInput[] | null;
  box: Box | null;
}

const serverIds = new Map<string, number>();
// The box the catalog holds per instance: a box is written only when it changed, so saving
// joints never rewrites (and clips) an imported box the user did not touch.
const serverBoxes = new Map<string, Box | null>();

function queueKey(project: string, key: string): string {
  return `${project}\u0000${key}`;
}

export function rememberServerInstance(project: string, key: string, id: number, box: Box | null): void {
  serverIds.set(queueKey(project, key), id);
  serverBoxes.set(queueKey(project, key), box);
}

function forget(qkey: string): void {
  serverIds.delete(qkey);
  serverBoxes.delete(qkey);
}

async function write(qkey: string, wanted: WantedInstance): Promise<void> {
  const { project } = wanted;
  const id = serverIds.get(qkey);
  if (wanted.keypoints === null) {
    if (id === undefined) return;
    try {
      await api.call('instances.delete', { project, instanceId: id });
    } catch (error) {
      if (!(error instanceof ApiError && error.kind === 'not-found')) throw error;
    }
    forget(qkey);
    return;
  }
  if (id === undefined) {
    const created = await api.call('instances.create', { project, imageId: wanted.imageId });
    serverIds.set(qkey, created.id);
    serverBoxes.set(qkey, created.box);
  }
  const instanceId = serverIds.get(qkey)!;
  try {
    await api.call('keypoints.save', { project, instanceId, keypoints: wanted.keypoints.map((k) => ({ ...k })) });
    if (!serverBoxes.has(qkey) || !sameBox(serverBoxes.get(qkey)!, wanted.box)) {
      // What was asked, not the clipped answer: the canvas keeps boxes inside the image already.
      await api.call('instances.setBox', { project, instanceId, box: wanted.box ? [...wanted.box] : null });
      serverBoxes.set(qkey, wanted.box);
    }
  } catch (error) {
    // Deleted meanwhile (another window): the retry re-creates it rather than failing forever.
    if (error instanceof ApiError && error.kind === 'not-found') forget(qkey);
    throw error;
  }
}

export const saveStatus = $state<AutosaveStatus>({ pending: 0, failures: [] });

export const instanceSaver = new AutosaveQueue<WantedInstance>(write, {
  debounceMs: 300,
  onChange: (status) => {
    saveStatus.pending = status.pending;
    saveStatus.failures = status.failures;
  },
});

export function wantInstance(project: string, key: string, wanted: WantedInstance): void {
  instanceSaver.schedule(queueKey(project, key), wanted);
}

// Leaving with unsaved edits asks first; the queue keeps retrying meanwhile.
window.addEventListener('beforeunload', (event) => {
  if (instanceSaver.status.pending > 0) {
    instanceSaver.flush();
    event.preventDefault();
  }
});
