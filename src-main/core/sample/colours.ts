// Colours as RGB triples, written into SVG as hex.
import type { Rng } from './prng';

export type Rgb = [number, number, number];

export function hex([r, g, b]: Rgb): string {
  const part = (v: number) =>
    Math.max(0, Math.min(255, Math.round(v)))
      .toString(16)
      .padStart(2, '0');
  return `#${part(r)}${part(g)}${part(b)}`;
}

/** h in degrees, s and l in [0, 1]. */
export function hsl(h: number, s: number, l: number): Rgb {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const hp = (((h % 360) + 360) % 360) / 60;
  const x = c * (1 - Math.abs((hp % 2) - 1));
  const [r, g, b] =
    hp < 1 ? [c, x, 0] : hp < 2 ? [x, c, 0] : hp < 3 ? [0, c, x] : hp < 4 ? [0, x, c] : hp < 5 ? [x, 0, c] : [c, 0, x];
  const m = l - c / 2;
  return [(r + m) * 255, (g + m) * 255, (b + m) * 255];
}

export function scale([r, g, b]: Rgb, factor: number): Rgb {
  return [r * factor, g * factor, b * factor];
}

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

export function distance(a: Rgb, b: Rgb): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

export function randomColour(
  rng: Rng,
  saturation: [number, number] = [0.2, 0.9],
  lightness: [number, number] = [0.2, 0.8],
): Rgb {
  return hsl(rng.uniform(0, 360), rng.uniform(...saturation), rng.uniform(...lightness));
}

/** A colour at least `minDistance` from every colour in `avoid` (best of a few tries). */
export function contrastingColour(
  rng: Rng,
  avoid: Rgb[],
  minDistance: number,
  draw: () => Rgb = () => randomColour(rng),
): Rgb {
  let best = draw();
  let bestScore = -1;
  for (let attempt = 0; attempt < 24; attempt++) {
    const candidate = attempt === 0 ? best : draw();
    const score = Math.min(...avoid.map((c) => distance(c, candidate)));
    if (score >= minDistance) return candidate;
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}
