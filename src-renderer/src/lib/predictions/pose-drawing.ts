// SVG path data for a pose drawn over its image. Coordinates stay in image pixels: the SVG's
// viewBox is the image size, so the browser scales them to whatever size the image is shown
// at (a thumbnail tile or the detail view), and strokes use non-scaling widths.
export type Point = readonly [number, number];

const round = (v: number) => Math.round(v * 10) / 10;

function usable(point: Point | null | undefined): point is Point {
  return point != null && Number.isFinite(point[0]) && Number.isFinite(point[1]);
}

/** One path for all bones whose two joints are present. */
export function bonesPath(
  points: ReadonlyArray<Point | null>,
  edges: ReadonlyArray<readonly [number, number]>,
): string {
  const parts: string[] = [];
  for (const [a, b] of edges) {
    const p = points[a];
    const q = points[b];
    if (usable(p) && usable(q)) parts.push(`M${round(p[0])} ${round(p[1])}L${round(q[0])} ${round(q[1])}`);
  }
  return parts.join('');
}

/** A zero-length segment: with a round cap it draws a dot of the stroke's width. */
export function dotPath(point: Point): string {
  return `M${round(point[0])} ${round(point[1])}h0`;
}

/** The labeled joints of a truth row ([x, y, visibility]); null where the joint is not labeled. */
export function labeledPoints(truth: ReadonlyArray<readonly [number, number, number]> | null): Array<Point | null> {
  return (truth ?? []).map(([x, y, v]) => (v > 0 ? ([x, y] as const) : null));
}

/** Lines from each predicted joint to its label, for the joints that have both. */
export function errorLinesPath(predicted: ReadonlyArray<Point>, truth: ReadonlyArray<Point | null>): string {
  const parts: string[] = [];
  predicted.forEach((p, j) => {
    const t = truth[j];
    if (usable(p) && usable(t)) parts.push(`M${round(p[0])} ${round(p[1])}L${round(t[0])} ${round(t[1])}`);
  });
  return parts.join('');
}
