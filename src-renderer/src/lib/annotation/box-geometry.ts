// Person boxes as the Box tool draws and edits them: [x, y, w, h] in image pixels, always
// inside the image and never inverted, whichever way a corner is dragged.
import type { Box } from '../../../../src-shared/domain/image';

/** A corner, an edge, or the whole box ('move'). */
export type BoxHandle = 'nw' | 'n' | 'ne' | 'e' | 'se' | 's' | 'sw' | 'w' | 'move';
export const RESIZE_HANDLES: readonly Exclude<BoxHandle, 'move'>[] = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'];

/** Smaller than this (image pixels) is a slip of the mouse, not a box. */
export const MIN_BOX_SIDE = 1;

const clamp = (value: number, max: number) => Math.min(max, Math.max(0, value));

/** The box spanned by two points, clipped to the image. */
export function boxFromCorners(
  a: { x: number; y: number },
  b: { x: number; y: number },
  width: number,
  height: number,
): Box {
  const x0 = clamp(Math.min(a.x, b.x), width);
  const y0 = clamp(Math.min(a.y, b.y), height);
  const x1 = clamp(Math.max(a.x, b.x), width);
  const y1 = clamp(Math.max(a.y, b.y), height);
  return [x0, y0, x1 - x0, y1 - y0];
}

/** `start` after dragging `handle` by (dx, dy) image pixels: a moved box keeps its size, a resized one may flip over. */
export function dragBox(start: Box, handle: BoxHandle, dx: number, dy: number, width: number, height: number): Box {
  const [x, y, w, h] = start;
  if (handle === 'move') {
    return [Math.min(width - w, Math.max(0, x + dx)), Math.min(height - h, Math.max(0, y + dy)), w, h];
  }
  const west = handle.includes('w') ? dx : 0;
  const east = handle.includes('e') ? dx : 0;
  const north = handle.includes('n') ? dy : 0;
  const south = handle.includes('s') ? dy : 0;
  return boxFromCorners({ x: x + west, y: y + north }, { x: x + w + east, y: y + h + south }, width, height);
}

export function isUsableBox(box: Box): boolean {
  return box[2] >= MIN_BOX_SIDE && box[3] >= MIN_BOX_SIDE;
}

/** Where a handle sits on the box, in the box's own coordinates. */
export function handlePoint(box: Box, handle: Exclude<BoxHandle, 'move'>): { x: number; y: number } {
  const [x, y, w, h] = box;
  const fx = handle.includes('w') ? 0 : handle.includes('e') ? 1 : 0.5;
  const fy = handle.includes('n') ? 0 : handle.includes('s') ? 1 : 0.5;
  return { x: x + fx * w, y: y + fy * h };
}

export function boxContains(box: Box, px: number, py: number): boolean {
  return px >= box[0] && py >= box[1] && px <= box[0] + box[2] && py <= box[1] + box[3];
}

export function sameBox(a: Box | null, b: Box | null): boolean {
  if (!a || !b) return a === b;
  return a.every((value, i) => value === b[i]);
}
