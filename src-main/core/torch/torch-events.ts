// What the PyTorch engine prints, one JSON object a line (engines/torch/deeppose_torch/train.py),
// checked here where it arrives: a line that does not parse is kept as log text, never guessed at.
import { z } from 'zod';

const count = z.number().int().min(0);
const joint = z.tuple([z.number(), z.number()]);

export const torchEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('started'),
    device: z.string(),
    worldSize: z.number().int().positive(),
    model: z.string(),
    params: count,
    trainSize: count,
    valSize: count,
    resumedFrom: z.string().nullable(),
    torch: z.string(),
  }),
  z.object({
    type: z.literal('progress'),
    epoch: count,
    iteration: count,
    itersPerEpoch: count,
    totalIterations: count,
    loss: z.number(),
    lr: z.number(),
    imagesPerSecond: z.number(),
    etaSeconds: z.number().nullable(),
    device: z.string(),
  }),
  z.object({ type: z.literal('epoch'), epoch: count, iteration: count, loss: z.number(), imagesPerSecond: z.number() }),
  z.object({
    type: z.literal('validation'),
    epoch: count,
    iteration: count,
    loss: z.number(),
    pck: z.number().nullable(),
    samples: z.array(z.object({ index: count, joints: z.array(joint) })),
    /** Each val example's joints after every stage so far, which the host scores per stage. */
    stageJoints: z.array(z.array(z.array(joint))).optional(),
  }),
  z.object({ type: z.literal('checkpoint'), path: z.string(), epoch: count, iteration: count }),
  z.object({
    type: z.literal('finished'),
    epoch: count,
    iteration: count,
    weights: z.string(),
    checkpoint: z.string().nullable(),
  }),
  z.object({ type: z.literal('stopped'), epoch: count, iteration: count, checkpoint: z.string().nullable() }),
  z.object({ type: z.literal('failed'), error: z.string() }),
]);

export type TorchEvent = z.infer<typeof torchEventSchema>;

/** A line of the engine's stdout as an event, or null for anything else (torchrun's own lines, warnings). */
export function parseTorchLine(line: string): TorchEvent | null {
  const text = line.trim();
  if (!text.startsWith('{')) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = torchEventSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
