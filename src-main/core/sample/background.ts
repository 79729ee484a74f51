// Backgrounds a network has to learn to ignore: gradients, random shapes (some of them
// limb-like bars), striped, checked and dotted textures. (Noise and uneven light are added
// to the pixels in render.ts: librsvg's feTurbulence costs ~30 ms a picture.)
import { contrastingColour, hex, randomColour, type Rgb } from './colours';
import type { Rng } from './prng';
import { orientedRectangle, shapeSvg, type Point, type Shape } from './shapes';

export interface Background {
  /** <defs> content: gradients, patterns, filters. */
  defs: string;
  svg: string;
  /** The dominant colours, which clothing must stand out from. */
  colours: Rgb[];
}

/**
 * A pattern fill (stripes one of three ways, checks or dots) named `id`, for backgrounds and
 * occluders. Never `patternTransform`: librsvg renders rotated patterns ~15x slower.
 */
export function texturePattern(rng: Rng, id: string, a: Rgb | null, b: Rgb, inkOpacity = 1): string {
  const s = rng.int(8, 24);
  const h = s / 2;
  const ink = `fill="${hex(b)}"${inkOpacity < 1 ? ` fill-opacity="${inkOpacity.toFixed(2)}"` : ''}`;
  const tile = [
    `<rect width="${h}" height="${s}" ${ink}/>`,
    `<rect width="${s}" height="${h}" ${ink}/>`,
    `<polygon points="0,0 ${h},0 ${s},${h} ${s},${s} 0,0" ${ink}/><polygon points="0,${h} ${h},${s} 0,${s}" ${ink}/>`,
    `<rect width="${h}" height="${h}" ${ink}/><rect x="${h}" y="${h}" width="${h}" height="${h}" ${ink}/>`,
    `<circle cx="${h}" cy="${h}" r="${s / 4}" ${ink}/>`,
  ][rng.int(0, 4)];
  const ground = a ? `<rect width="${s}" height="${s}" fill="${hex(a)}"/>` : '';
  return `<pattern id="${id}" width="${s}" height="${s}" patternUnits="userSpaceOnUse">${ground}${tile}</pattern>`;
}

function randomShape(rng: Rng, width: number, height: number): Shape {
  const c: Point = [rng.uniform(-0.1, 1.1) * width, rng.uniform(-0.1, 1.1) * height];
  const size = rng.uniform(0.05, 0.45) * Math.min(width, height);
  switch (rng.int(0, 3)) {
    case 0:
      return { kind: 'ellipse', c, rx: size, ry: size * rng.uniform(0.3, 1), angle: rng.uniform(0, 180) };
    case 1: {
      const a = rng.uniform(0, Math.PI);
      return orientedRectangle(c, a, size, size * rng.uniform(0.3, 1));
    }
    case 2: {
      const points: Point[] = [0, 1, 2].map(() => [c[0] + rng.uniform(-size, size), c[1] + rng.uniform(-size, size)]);
      return { kind: 'polygon', points };
    }
    default: {
      // Bars as thick as limbs, so "a thick coloured stroke" alone does not mean "arm".
      const a = rng.uniform(0, Math.PI);
      return {
        kind: 'capsule',
        a: [c[0] - Math.cos(a) * size, c[1] - Math.sin(a) * size],
        b: [c[0] + Math.cos(a) * size, c[1] + Math.sin(a) * size],
        r: rng.uniform(2, 9),
      };
    }
  }
}

export function sampleBackground(rng: Rng, width: number, height: number): Background {
  const from = randomColour(rng, [0, 0.7], [0.15, 0.85]);
  const to = rng.chance(0.85)
    ? contrastingColour(rng, [from], 40, () => randomColour(rng, [0, 0.7], [0.15, 0.85]))
    : from;
  const angle = rng.uniform(0, 2 * Math.PI);
  const [x1, y1, x2, y2] = [
    0.5 - Math.cos(angle) / 2,
    0.5 - Math.sin(angle) / 2,
    0.5 + Math.cos(angle) / 2,
    0.5 + Math.sin(angle) / 2,
  ].map((v) => v.toFixed(3));
  const defs = [
    `<linearGradient id="bg" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}"><stop offset="0" stop-color="${hex(from)}"/><stop offset="1" stop-color="${hex(to)}"/></linearGradient>`,
  ];
  const svg = [`<rect width="${width}" height="${height}" fill="url(#bg)"/>`];

  if (rng.chance(0.2)) {
    // A textured wall or floor: ink only, so the gradient shows between the stripes or dots.
    defs.push(texturePattern(rng, 'bgtex', null, contrastingColour(rng, [from], 30), rng.uniform(0.3, 0.7)));
    svg.push(`<rect width="${width}" height="${height}" fill="url(#bgtex)"/>`);
  }
  const shapeCount = rng.int(3, 14);
  for (let i = 0; i < shapeCount; i++) {
    const shape = randomShape(rng, width, height);
    if (rng.chance(0.25)) {
      // Opaque: a translucent pattern fill costs librsvg an offscreen pass.
      defs.push(texturePattern(rng, `bgtex${i}`, randomColour(rng), randomColour(rng)));
      svg.push(shapeSvg(shape, { fill: `url(#bgtex${i})` }));
    } else {
      svg.push(shapeSvg(shape, { fill: hex(randomColour(rng)), opacity: rng.uniform(0.35, 1) }));
    }
  }
  return { defs: defs.join(''), svg: svg.join(''), colours: [from, to] };
}
