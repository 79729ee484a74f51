import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cocoToLsp, deriveHead, LSP_HEAD_TOP, LSP_NECK } from '../../src-main/core/suggest/coco-to-lsp';
import { suppressOverlaps } from '../../src-main/core/suggest/pretrained-pose';
import { suggestionCoco, suggestionList } from '../../src-main/core/suggest/suggestion-exports';
import { LSP14 } from '../../src-shared/domain/skeleton';

/** An upright person facing the camera, COCO order, every keypoint scored `score`. */
function upright(score = 0.9): [number, number, number][] {
  const p: [number, number][] = [
    [100, 40], // nose
    [105, 35], // left eye (the person's left: image right when facing the camera)
    [95, 35],
    [110, 40], // left ear
    [90, 40],
    [120, 70], // left shoulder
    [80, 70],
    [125, 100],
    [75, 100],
    [128, 130], // left wrist
    [72, 130],
    [112, 140], // left hip
    [88, 140],
    [114, 180],
    [86, 180],
    [115, 220], // left ankle
    [85, 220],
  ];
  return p.map(([x, y]) => [x, y, score]);
}

test('COCO keypoints map onto LSP-14: direct joints by name, neck between the shoulders, head top above the head', () => {
  const lsp = cocoToLsp(upright(), 0.3);
  const at = (name: string) => lsp[LSP14.joints.indexOf(name)];
  assert.deepEqual([at('right ankle')?.x, at('right ankle')?.y], [85, 220]);
  assert.deepEqual([at('left wrist')?.x, at('left wrist')?.y], [128, 130]);
  assert.deepEqual([at('right shoulder')?.x, at('left hip')?.x], [80, 112]);
  assert.deepEqual([lsp[LSP_NECK]?.x, lsp[LSP_NECK]?.y], [100, 70]);
  // Ears' midpoint (100, 40), 30 px above the neck: the head length is the mean of 0.8 × 30 and 0.9 × 20 (ear to ear) = 21.
  const top = lsp[LSP_HEAD_TOP]!;
  assert.ok(Math.abs(top.x - 100) < 1e-9 && Math.abs(top.y - 19) < 1e-9, `head top at ${top.x}, ${top.y}`);
});

test('the head top follows the neck-to-head direction when the person leans', () => {
  // Turn the whole person 90° (lying, head to the left): the head top must be left of the ears.
  const lying = upright().map(([x, y, s]) => [y, 200 - x, s] as [number, number, number]);
  const { neck, headTop } = deriveHead(lying, 0.3);
  assert.ok(neck && headTop);
  assert.ok(headTop[0] < 40 && Math.abs(headTop[1] - 100) < 1e-9, `head top at ${headTop[0]}, ${headTop[1]}`);
});

test('joints scored below the threshold stay unplaced, and so do the derived ones that need them', () => {
  const kp = upright();
  kp[16][2] = 0.1; // right ankle unsure
  kp[6][2] = 0.2; // right shoulder unsure: no neck, no head top
  const lsp = cocoToLsp(kp, 0.3);
  assert.equal(lsp[0], null);
  assert.equal(lsp[8], null);
  assert.equal(lsp[LSP_NECK], null);
  assert.equal(lsp[LSP_HEAD_TOP], null);
  assert.equal(lsp.filter(Boolean).length, 10);
  // No head keypoint at all: a neck but no head top.
  const headless = upright();
  for (const i of [0, 1, 2, 3, 4]) headless[i][2] = 0;
  const derived = cocoToLsp(headless, 0.3);
  assert.ok(derived[LSP_NECK]);
  assert.equal(derived[LSP_HEAD_TOP], null);
});

test('overlapping person boxes keep the best-scored one', () => {
  const kept = suppressOverlaps([
    { box: [0, 0, 10, 20], score: 0.5 },
    { box: [1, 0, 10, 20], score: 0.7 },
    { box: [30, 0, 10, 20], score: 0.4 },
  ]);
  assert.deepEqual(
    kept.map((k) => k.score),
    [0.7, 0.4],
  );
});

test('suggestions export one row per person: unplaced joints 0,0,0 in the list, scores in COCO', () => {
  const joints = cocoToLsp(upright(), 0.3);
  joints[0] = null;
  const images = [
    { imagePath: '/photos/b.jpg', width: 200, height: 240, persons: [] },
    {
      imagePath: '/photos/a.jpg',
      width: 200,
      height: 240,
      persons: [
        { box: [70, 10, 60, 215] as [number, number, number, number], score: 0.8, joints },
        { box: [0, 0, 5, 5] as [number, number, number, number], score: 0.3, joints: joints.map(() => null) },
      ],
    },
  ];
  const rows = suggestionList(images, '/photos').trim().split('\n');
  assert.equal(rows.length, 2);
  const cells = rows[0].split(',');
  assert.equal(cells[0], 'a.jpg');
  assert.equal(cells.length, 1 + 14 * 3);
  assert.deepEqual(cells.slice(1, 4), ['0', '0', '0']);
  assert.deepEqual(cells.slice(4, 7), ['86', '180', '1']);
  assert.equal(rows[1], `a.jpg,${Array(42).fill(0).join(',')}`);

  const coco = suggestionCoco(images, '/photos', LSP14) as {
    images: { file_name: string }[];
    annotations: {
      image_id: number;
      keypoints: number[];
      keypoint_scores: number[];
      score: number;
      num_keypoints: number;
    }[];
    categories: { keypoints: string[] }[];
  };
  assert.deepEqual(
    coco.images.map((i) => i.file_name),
    ['a.jpg', 'b.jpg'],
  );
  assert.equal(coco.annotations.length, 2);
  assert.equal(coco.annotations[0].score, 0.8);
  assert.equal(coco.annotations[0].num_keypoints, 13);
  assert.deepEqual(coco.annotations[0].keypoints.slice(0, 6), [0, 0, 0, 86, 180, 2]);
  assert.deepEqual(coco.annotations[0].keypoint_scores.slice(0, 2), [0, 0.9]);
  assert.equal(coco.categories[0].keypoints.length, 14);
});
