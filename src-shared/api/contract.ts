// The one API declaration. Main's dispatcher, the preload allow-list, the WebSocket
// transport and the renderer client are all derived from these two maps; each domain
// declares its calls in its own `*.contract.ts` and is listed here once.
import type { z } from 'zod';
import { studioCalls } from './studio.contract';
import { taskCalls, taskEvents } from './tasks.contract';
import { catalogCalls } from './catalog.contract';
import { trainingCalls, trainingEvents } from './training.contract';
import { predictionCalls } from './predictions.contract';
import { sampleCalls } from './sample.contract';
import { modelCalls } from './models.contract';
import { fileCalls } from './files.contract';
import { suggestionCalls } from './suggestions.contract';
import { fileJobCalls } from './file-jobs.contract';

export const calls = {
  ...studioCalls,
  ...taskCalls,
  ...catalogCalls,
  ...trainingCalls,
  ...predictionCalls,
  ...sampleCalls,
  ...modelCalls,
  ...fileCalls,
  ...suggestionCalls,
  ...fileJobCalls,
};

export const events = {
  ...taskEvents,
  ...trainingEvents,
};

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>;
export type ParsedInput<N extends CallName> = z.output<Calls[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Calls[N]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
