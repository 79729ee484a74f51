// The canvas view: screen = image * scale + (tx, ty), in CSS pixels relative to the canvas.
// Coordinates are stored in image pixels; only this mapping changes with zoom and pan.
export interface ViewTransform {
  readonly scale: number;
  readonly tx: number;
  readonly ty: number;
}

export const MIN_SCALE = 0.02;
export const MAX_SCALE = 40;

export function clampScale(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}

export function imageToScreen(view: ViewTransform, x: number, y: number): { x: number; y: number } {
  return { x: x * view.scale + view.tx, y: y * view.scale + view.ty };
}

export function screenToImage(view: ViewTransform, x: number, y: number): { x: number; y: number } {
  return { x: (x - view.tx) / view.scale, y: (y - view.ty) / view.scale };
}

/** Sets the scale while the image point under (cx, cy) stays under it. */
export function zoomTo(view: ViewTransform, scale: number, cx: number, cy: number): ViewTransform {
  const next = clampScale(scale);
  const ratio = next / view.scale;
  return { scale: next, tx: cx - (cx - view.tx) * ratio, ty: cy - (cy - view.ty) * ratio };
}

export function zoomBy(view: ViewTransform, factor: number, cx: number, cy: number): ViewTransform {
  return zoomTo(view, view.scale * factor, cx, cy);
}

/** Wheel notches to a zoom factor; trackpads send small deltas, mice about 100 per notch. */
export function wheelFactor(deltaY: number, deltaMode: number): number {
  const pixels = deltaMode === 1 ? deltaY * 33 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.exp(-pixels * 0.0015);
}

export function pan(view: ViewTransform, dx: number, dy: number): ViewTransform {
  return { ...view, tx: view.tx + dx, ty: view.ty + dy };
}

/** The whole image centred in the viewport, with a margin. */
export function fitView(
  imageWidth: number,
  imageHeight: number,
  viewWidth: number,
  viewHeight: number,
  margin = 16,
): ViewTransform {
  const scale = clampScale(Math.min((viewWidth - 2 * margin) / imageWidth, (viewHeight - 2 * margin) / imageHeight));
  return { scale, tx: (viewWidth - imageWidth * scale) / 2, ty: (viewHeight - imageHeight * scale) / 2 };
}
