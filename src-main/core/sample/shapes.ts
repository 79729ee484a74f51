// The few shapes a sample picture is drawn with. Each shape knows its SVG and whether it
// covers a point, so the generator can tell exactly which joints something hides.

export type Point = [number, number];

export type Shape =
  /** A segment with round ends: limbs, bars. */
  | { kind: 'capsule'; a: Point; b: Point; r: number }
  | { kind: 'polygon'; points: Point[] }
  /** `angle` in degrees, clockwise, as SVG rotates. */
  | { kind: 'ellipse'; c: Point; rx: number; ry: number; angle: number };

/** How a shape is painted: `fill` may be a colour or `url(#id)`; `outline` draws a 1 px darker edge. */
export interface Paint {
  fill: string;
  outline?: string;
  opacity?: number;
}

const n = (v: number) => (Math.round(v * 100) / 100).toString();

export function shapeSvg(shape: Shape, paint: Paint): string {
  // fill-/stroke-opacity, not opacity: librsvg composites `opacity` offscreen, several times slower.
  const alpha = paint.opacity !== undefined && paint.opacity < 1 ? n(paint.opacity) : '';
  switch (shape.kind) {
    case 'capsule': {
      const coords = `x1="${n(shape.a[0])}" y1="${n(shape.a[1])}" x2="${n(shape.b[0])}" y2="${n(shape.b[1])}"`;
      const opacity = alpha ? ` stroke-opacity="${alpha}"` : '';
      const edge = paint.outline
        ? `<line ${coords} stroke="${paint.outline}" stroke-width="${n(2 * shape.r + 2)}" stroke-linecap="round"${opacity}/>`
        : '';
      return `${edge}<line ${coords} stroke="${paint.fill}" stroke-width="${n(2 * shape.r)}" stroke-linecap="round"${opacity}/>`;
    }
    case 'polygon': {
      const opacity = alpha ? ` fill-opacity="${alpha}" stroke-opacity="${alpha}"` : '';
      const points = shape.points.map((p) => `${n(p[0])},${n(p[1])}`).join(' ');
      const edge = paint.outline ? ` stroke="${paint.outline}" stroke-width="1" stroke-linejoin="round"` : '';
      return `<polygon points="${points}" fill="${paint.fill}"${edge}${opacity}/>`;
    }
    case 'ellipse': {
      const opacity = alpha ? ` fill-opacity="${alpha}" stroke-opacity="${alpha}"` : '';
      const edge = paint.outline ? ` stroke="${paint.outline}" stroke-width="1"` : '';
      const rotate = shape.angle ? ` transform="rotate(${n(shape.angle)} ${n(shape.c[0])} ${n(shape.c[1])})"` : '';
      return `<ellipse cx="${n(shape.c[0])}" cy="${n(shape.c[1])}" rx="${n(shape.rx)}" ry="${n(shape.ry)}" fill="${paint.fill}"${edge}${rotate}${opacity}/>`;
    }
  }
}

/**
 * True when the point lies inside the shape by at least `margin` px, so anti-aliased edges
 * never decide a label.
 */
export function covers(shape: Shape, p: Point, margin = 0.75): boolean {
  switch (shape.kind) {
    case 'capsule':
      return distanceToSegment(p, shape.a, shape.b) < shape.r - margin;
    case 'polygon':
      return (
        insidePolygon(p, shape.points) &&
        shape.points.every((a, i) => distanceToSegment(p, a, shape.points[(i + 1) % shape.points.length]) > margin)
      );
    case 'ellipse': {
      const t = (-shape.angle * Math.PI) / 180;
      const dx = p[0] - shape.c[0];
      const dy = p[1] - shape.c[1];
      const x = dx * Math.cos(t) - dy * Math.sin(t);
      const y = dx * Math.sin(t) + dy * Math.cos(t);
      const rx = shape.rx - margin;
      const ry = shape.ry - margin;
      return rx > 0 && ry > 0 && (x / rx) ** 2 + (y / ry) ** 2 < 1;
    }
  }
}

export function distanceToSegment(p: Point, a: Point, b: Point): number {
  const vx = b[0] - a[0];
  const vy = b[1] - a[1];
  const len2 = vx * vx + vy * vy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * vx + (p[1] - a[1]) * vy) / len2));
  return Math.hypot(p[0] - a[0] - t * vx, p[1] - a[1] - t * vy);
}

function insidePolygon(p: Point, points: Point[]): boolean {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** A rectangle centred on `c`, its long axis at `angle` radians: half-length `half`, half-width `width`. */
export function orientedRectangle(c: Point, angle: number, half: number, width: number): Shape {
  const [dx, dy, ex, ey] = [
    Math.cos(angle) * half,
    Math.sin(angle) * half,
    -Math.sin(angle) * width,
    Math.cos(angle) * width,
  ];
  return {
    kind: 'polygon',
    points: [
      [c[0] - dx - ex, c[1] - dy - ey],
      [c[0] + dx - ex, c[1] + dy - ey],
      [c[0] + dx + ex, c[1] + dy + ey],
      [c[0] - dx + ex, c[1] - dy + ey],
    ],
  };
}
