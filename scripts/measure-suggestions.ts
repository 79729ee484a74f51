// Measures the built-in pose model's suggestions against hand-labeled real photographs (the
// figures in README, "Suggested joints"): runs `deeppose suggest`'s worker over the images of a
// truth file (test/fixtures/real-photos/truth.txt), matches each labeled person to the
// detection whose box overlaps it most, and prints PCK@0.2 per LSP joint (strict, and with
// each person's left/right sides swapped where that scores better: small walkers in profile
// are ambiguous to the labeler too), the people detected / missed / extra, and ms per image.
//   node --import tsx scripts/measure-suggestions.ts [--truth FILE] [--models DIR] [--threshold T] [--person-threshold P]
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LSP14 } from '../src-shared/domain/skeleton';
import {
  DEFAULT_PERSON_THRESHOLD,
  DEFAULT_SUGGEST_THRESHOLD,
  type SuggestedPerson,
} from '../src-shared/domain/suggestion';
import { pck } from '../src-main/core/metrics/detection-rate';
import type { Joints } from '../src-main/core/pose/pose-joints';
import { poseModelsDir } from '../src-main/core/suggest/pose-model-package';
import { startSuggestWorker } from '../src-main/core/suggest/suggest-host';
import { forkLauncher } from '../src-main/core/worker/worker-launcher';

type Box = [number, number, number, number];
interface TruthPerson {
  image: string;
  name: string;
  joints: Joints;
}

const { values } = parseArgs({
  options: {
    truth: { type: 'string' },
    models: { type: 'string' },
    threshold: { type: 'string' },
    'person-threshold': { type: 'string' },
  },
});
const truthFile = resolve(values.truth ?? 'test/fixtures/real-photos/truth.txt');
const threshold = Number(values.threshold ?? DEFAULT_SUGGEST_THRESHOLD);
const personThreshold = Number(values['person-threshold'] ?? DEFAULT_PERSON_THRESHOLD);

/** `image|name|x,y x,y ...` (14 joints, '-' unlabeled) and `# ignore|image|x,y,w,h` lines. */
function readTruth(file: string): { people: TruthPerson[]; ignore: { image: string; box: Box }[] } {
  const people: TruthPerson[] = [];
  const ignore: { image: string; box: Box }[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const ignored = /^# ignore\|([^|]+)\|([\d.,]+)/.exec(line);
    if (ignored) ignore.push({ image: ignored[1], box: ignored[2].split(',').map(Number) as Box });
    if (!line.trim() || line.startsWith('#')) continue;
    const [image, name, coords] = line.split('|');
    const joints = coords
      .trim()
      .split(/\s+/)
      .map((c) => (c === '-' ? [0, 0, 0] : [...c.split(',').map(Number), 2])) as Joints;
    if (joints.length !== 14) throw new Error(`${file}: ${image} ${name} has ${joints.length} joints, expected 14`);
    people.push({ image, name, joints });
  }
  return { people, ignore };
}

function boundsOf(joints: Joints): Box {
  const placed = joints.filter(([, , v]) => v > 0);
  const xs = placed.map(([x]) => x);
  const ys = placed.map(([, y]) => y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const pad = 0.1 * Math.max(x1 - x0, y1 - y0);
  return [x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad];
}

function overlap(a: Box, b: Box): number {
  const w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  return w > 0 && h > 0 ? (w * h) / (a[2] * a[3] + b[2] * b[3] - w * h) : 0;
}

const inside = (box: Box, region: Box) => {
  const [cx, cy] = [box[0] + box[2] / 2, box[1] + box[3] / 2];
  return cx >= region[0] && cx <= region[0] + region[2] && cy >= region[1] && cy <= region[1] + region[3];
};

const asJoints = (person: SuggestedPerson | null): Joints =>
  Array.from({ length: 14 }, (_, j) =>
    person?.joints[j] ? [person.joints[j].x, person.joints[j].y, 2] : [NaN, NaN, 0],
  );
const mirrored = (joints: Joints): Joints => {
  const out = joints.map((j) => [...j]) as Joints;
  for (const [a, b] of LSP14.flipPairs) [out[a], out[b]] = [joints[b], joints[a]];
  return out;
};

const { people, ignore } = readTruth(truthFile);
const images = [...new Set(people.map((p) => p.image))];
const imagePaths = images.map((image) => join(dirname(truthFile), image));
const found: SuggestedPerson[][] = [];
const began = performance.now();
const handle = startSuggestWorker(
  forkLauncher,
  { modelsDir: poseModelsDir(values.models ?? null), imagePaths, threshold, personThreshold, backend: 'auto' },
  (event) => {
    if (event.type === 'suggestion') found[event.index] = event.persons;
    if (event.type === 'suggest-skipped') console.error(`skipped ${imagePaths[event.index]}: ${event.reason}`);
  },
);
const end = await handle.done;
if (end.type === 'failed') throw new Error(end.error);
const { msPerImage, backend } = end;

const truth: Joints[] = [];
const strict: Joints[] = [];
const sideFree: Joints[] = [];
let detected = 0;
let extra = 0;
let ignored = 0;
images.forEach((image, i) => {
  const detections = (found[i] ?? []).map((p) => ({ p, used: false }));
  for (const person of people.filter((p) => p.image === image)) {
    const box = boundsOf(person.joints);
    const best = detections.filter((d) => !d.used).sort((a, b) => overlap(b.p.box, box) - overlap(a.p.box, box))[0];
    const match = best && overlap(best.p.box, box) >= 0.3 ? best : null;
    if (match) {
      match.used = true;
      detected++;
    }
    const pred = asJoints(match?.p ?? null);
    const flipped = mirrored(pred);
    const hits = (p: Joints) => pck([p], [person.joints]).mean ?? 0;
    truth.push(person.joints);
    strict.push(pred);
    sideFree.push(hits(flipped) > hits(pred) ? flipped : pred);
    console.log(
      `${image} ${person.name}: ${match ? `detected (score ${match.p.score.toFixed(2)}), PCK@0.2 ${hits(pred).toFixed(2)}` : 'missed'}`,
    );
  }
  for (const d of detections.filter((d) => !d.used)) {
    if (ignore.some((r) => r.image === image && inside(d.p.box, r.box))) ignored++;
    else {
      extra++;
      console.log(
        `${image}: extra detection at ${d.p.box.map((v) => v.toFixed(0)).join(',')} (score ${d.p.score.toFixed(2)})`,
      );
    }
  }
});

const show = (label: string, rows: Joints[]) => {
  const r = pck(rows, truth);
  const perJoint = LSP14.joints.map(
    (name, j) => `${name} ${r.perJoint[j] === null ? '-' : (100 * r.perJoint[j]!).toFixed(0)}%`,
  );
  console.log(
    `${label}: mean ${(100 * (r.mean ?? 0)).toFixed(1)}% over ${r.counted.reduce((a, b) => a + b, 0)} joints\n  ${perJoint.join(', ')}`,
  );
};
console.log(
  `\n${people.length} labeled people on ${images.length} images; threshold ${threshold}, person threshold ${personThreshold}`,
);
console.log(
  `detected ${detected}, missed ${people.length - detected}, extra ${extra} (and ${ignored} on partial people left unscored)`,
);
show('PCK@0.2, strict sides (a missed person or an unplaced joint counts as a miss)', strict);
show('PCK@0.2, each person scored with its sides swapped where that is better', sideFree);
console.log(
  `${backend}: ${msPerImage ? `${msPerImage.mean.toFixed(0)} ± ${msPerImage.std.toFixed(0)} ms/image after the first` : '-'}, ${((performance.now() - began) / 1000).toFixed(1)} s in all with the model load`,
);
