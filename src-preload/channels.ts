// The preload's allow-list as plain strings. The contract (src-shared/api/*.contract.ts)
// builds zod schemas, and a sandboxed preload may require only electron, events, timers and
// url, so the names are repeated here rather than imported; inputs are validated in main.
// Kept equal to the contract by the type checks below and test/unit/preload-channels.test.ts.
import type { CallName, EventName } from '../src-shared/api/contract';

export const callChannels = [
  'studio.info',
  'tasks.list',
  'tasks.get',
  'tasks.cancel',
  'projects.list',
  'projects.create',
  'projects.open',
  'projects.forget',
  'projects.createSample',
  'images.list',
  'images.get',
  'images.nextUnlabeled',
  'images.setSplit',
  'splits.assign',
  'splits.preset',
  'instances.create',
  'instances.delete',
  'instances.setBox',
  'keypoints.save',
  'datasets.import',
  'datasets.export',
  'training.backends',
  'training.summary',
  'training.estimate',
  'training.measureSpeed',
  'training.start',
  'training.stop',
  'training.resume',
  'training.formSettings',
  'training.keepFormSettings',
  'runs.list',
  'runs.get',
  'runs.delete',
  'predict.start',
  'predictions.sets',
  'predictions.list',
  'predictions.accept',
  'predictions.metrics',
  'predictions.export',
  'models.exportOnnx',
  'files.pick',
  'files.reveal',
  'files.browse',
  'files.makeFolder',
  'suggestions.suggest',
  'suggestions.prelabel',
  'suggestions.list',
  'suggestions.queue',
  'suggestions.accept',
  'suggestions.dismiss',
] as const satisfies readonly CallName[];

export const eventChannels = ['task.updated', 'training.event'] as const satisfies readonly EventName[];

// Compile-time completeness: a call or event declared in the contract but missing here
// fails the type check and names itself.
type Unlisted<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>;
export const everyCallListed: Unlisted<CallName, (typeof callChannels)[number]> = true;
export const everyEventListed: Unlisted<EventName, (typeof eventChannels)[number]> = true;
