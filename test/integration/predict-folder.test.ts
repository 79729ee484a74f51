// Prediction end to end without a window: a sample project, a tiny model trained in the
// worker, then predictions over a folder of new images through the API and through the built
// CLI (which must agree), accepting one into the catalog, predictions over a labeled split
// with errors and metrics, exports, cancelling a job, and the model's ONNX export.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { createStudio } from '../../src-main/core/studio';
import { createApiClient } from '../../src-shared/api/client';
import type { Task } from '../../src-shared/api/tasks.contract';
import { generateSample } from '../../src-main/core/sample/generate-sample';
import { parseReferenceCsv } from '../../src-main/core/formats/reference-csv';
import { loadModel } from '../../src-main/core/training/models/model-files';
import { ONNX_INPUT, ONNX_OUTPUT } from '../../src-main/core/onnx/regressor-export';
import { OnnxSession } from '../../src-main/core/onnx/onnx-runtime';
import { makeTempDir, repoRoot } from '../support/paths';
import { roundCoordinate } from '../../src-shared/domain/keypoint';

const temp = makeTempDir('deeppose-predict-');
// The serve door may name only its --allow roots: here the test's folder.
const studio = createStudio({ home: join(temp.dir, 'home'), door: 'serve', allow: [temp.dir] });
const api = createApiClient({
  invoke: (channel, input) => studio.dispatch(channel, input) as never,
  onEvent: () => () => undefined,
  mediaUrl: (path) => path,
});
after(async () => {
  await studio.close();
  temp.cleanup();
});

const project = join(temp.dir, 'project');
const newImages = join(temp.dir, 'new');
const outDir = join(temp.dir, 'out');
// Through the serve door exports go where its writes may: inside the project's folders (the output rule).
const apiOut = join(project, 'exports');
const NEW_COUNT = 5;
let runId: string;
let runDir: string;

async function finished(taskId: string, expected: Task['state'] = 'succeeded'): Promise<Task> {
  for (;;) {
    const task = await api.call('tasks.get', { id: taskId });
    if (task.state !== 'running') {
      assert.equal(task.state, expected, task.error ?? task.state);
      return task;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

before(async () => {
  await finished((await api.call('projects.createSample', { folder: project, count: 30, seed: 4 })).taskId);
  const run = await api.call('training.start', {
    project,
    settings: { model: 'alexnet-tiny', epochs: 2, batchSize: 8, augment: false, seed: 1 },
  });
  await finished(run.taskId);
  runId = run.runId;
  runDir = (await api.call('runs.get', { project, runId })).run.dir;
  // New pictures in a nested folder the project has never seen.
  await generateSample({ outDir: newImages, count: NEW_COUNT, seed: 99 });
});

function deeppose(...args: string[]): string {
  return execFileSync(process.execPath, [join(repoRoot, 'bin', 'deeppose.js'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
}

let folderSet: number;

test('predictions over a folder through the API and the CLI agree, in image pixels', async () => {
  const { taskId, setId } = await api.call('predict.start', {
    project,
    model: { runId, checkpoint: 'final' },
    source: { folder: newImages },
  });
  folderSet = setId;
  const task = await finished(taskId);
  assert.match(task.message, /5\/5 images · [\d.]+ img\/s on \w+/);

  const [set] = await api.call('predictions.sets', { project });
  assert.equal(set.id, setId);
  assert.equal(set.runId, runId);
  assert.equal(set.count, NEW_COUNT);
  assert.equal(set.modelPath, join(runDir, 'model'));
  assert.ok(set.msPerImage && set.msPerImage.mean > 0 && set.msPerImage.std >= 0);

  const { total, items } = await api.call('predictions.list', { project, setId });
  assert.equal(total, NEW_COUNT);
  for (const p of items) {
    const meta = await sharp(p.imagePath).metadata();
    assert.deepEqual([p.width, p.height], [meta.width, meta.height]);
    assert.equal(p.imageId, null);
    assert.equal(p.truth, null);
    assert.equal(p.accepted, false);
    assert.equal(p.joints.length, 14);
    assert.ok(p.joints.flat().every(Number.isFinite));
    // The flip check is on by default: every prediction has its flip disagreement, per joint too.
    assert.ok(p.confidence.flip !== null && p.confidence.flip >= 0);
    assert.equal(p.confidence.flipPerJoint?.length, 14);
  }
  // The folder became servable.
  await studio.context.roots.resolveFile(items[0].imagePath);
  // Without labels there is nothing to measure.
  assert.equal(await api.call('predictions.metrics', { project, setId }), null);

  const apiCsv = await api.call('predictions.export', { project, setId, format: 'csv', path: join(apiOut, 'api.csv') });
  const apiCoco = await api.call('predictions.export', {
    project,
    setId,
    format: 'coco',
    path: join(apiOut, 'api.json'),
  });
  assert.deepEqual([apiCsv.count, apiCoco.count], [NEW_COUNT, NEW_COUNT]);

  const printed = deeppose('predict', '--model', runDir, '--input', newImages, '--out', join(outDir, 'cli.csv'));
  assert.match(printed, /predicted 5 of 5 images on \S+: mean [\d.]+ ms\/image, std [\d.]+ ms/);
  assert.match(printed, /flip check: \+[\d.]+ ms\/image/);
  assert.match(printed, /flip disagreement .*median [\d.]+%; least confident: \S+ [\d.]+%/);
  assert.doesNotMatch(
    deeppose(
      'predict',
      '--model',
      runDir,
      '--input',
      newImages,
      '--out',
      join(outDir, 'cli-noflip.csv'),
      '--no-flip-check',
    ),
    /flip check|flip disagreement/,
  );
  deeppose('predict', '--model', join(runDir, 'model'), '--input', newImages, '--out', join(outDir, 'cli.json'));

  // Same images in the same order, same joints (to float noise) in both formats.
  const apiList = await parseReferenceCsv(apiCsv.path, 14);
  const cliList = await parseReferenceCsv(join(outDir, 'cli.csv'), 14);
  assert.deepEqual(
    cliList.records.map((r) => r.imagePath),
    apiList.records.map((r) => r.imagePath),
  );
  cliList.records.forEach((record, i) => {
    record.instances[0].joints.forEach(([x, y], j) => {
      const [ax, ay] = apiList.records[i].instances[0].joints[j];
      assert.ok(
        Math.hypot(x - ax, y - ay) < 1e-3,
        `${record.imagePath} joint ${j}: CLI (${x}, ${y}), API (${ax}, ${ay})`,
      );
    });
  });
  const apiResults = JSON.parse(readFileSync(apiCoco.path, 'utf8')) as Array<{ image_id: number; keypoints: number[] }>;
  const cliResults = JSON.parse(readFileSync(join(outDir, 'cli.json'), 'utf8')) as typeof apiResults;
  assert.deepEqual(
    cliResults.map((r) => r.image_id),
    apiResults.map((r) => r.image_id),
  );
  cliResults.forEach((r, i) =>
    r.keypoints.forEach((v, k) => assert.ok(Math.abs(v - apiResults[i].keypoints[k]) < 1e-3)),
  );

  // The confidence proxies travel as extra COCO fields and as the scores table, the same from both doors.
  const apiCocoFull = JSON.parse(readFileSync(apiCoco.path, 'utf8')) as Array<{
    flip_disagreement?: number;
    last_correction?: number;
  }>;
  const cliCocoFull = JSON.parse(readFileSync(join(outDir, 'cli.json'), 'utf8')) as typeof apiCocoFull;
  apiCocoFull.forEach((r, i) => assert.ok(Math.abs(r.flip_disagreement! - cliCocoFull[i].flip_disagreement!) < 1e-4));
  const apiScores = await api.call('predictions.export', {
    project,
    setId,
    format: 'scores',
    path: join(apiOut, 'api-scores.csv'),
  });
  deeppose(
    'predict',
    '--model',
    runDir,
    '--input',
    newImages,
    '--out',
    join(outDir, 'cli-scores.csv'),
    '--format',
    'scores',
  );
  const table = (path: string) =>
    readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(','));
  const [header, ...scoreRows] = table(apiScores.path);
  assert.deepEqual(header.slice(0, 4), ['image_path', 'flip_disagreement', 'last_correction', 'flip_0']);
  assert.equal(header.length, 3 + 14);
  assert.equal(scoreRows.length, NEW_COUNT);
  const cliScoreRows = table(join(outDir, 'cli-scores.csv')).slice(1);
  scoreRows.forEach((row, i) =>
    row
      .slice(1)
      .forEach((v, k) =>
        assert.ok(Math.abs(Number(v) - Number(cliScoreRows[i][k + 1])) < 1e-4, `${row[0]} column ${k + 1}`),
      ),
  );
});

test('accepting a prediction of an outside image adds the image and model-sourced keypoints', async () => {
  const { items } = await api.call('predictions.list', { project, setId: folderSet });
  const chosen = items[1];
  const before = await api.call('projects.open', { folder: project });
  const { imageId, instanceId } = await api.call('predictions.accept', { project, predictionId: chosen.id });
  assert.equal((await api.call('projects.open', { folder: project })).imageCount, before.imageCount + 1);

  const { image, instances } = await api.call('images.get', { project, imageId });
  assert.equal(image.path, chosen.imagePath);
  assert.equal(instances.length, 1);
  assert.equal(instances[0].id, instanceId);
  assert.deepEqual(
    instances[0].keypoints.map((k) => [k.x, k.y, k.visibility, k.source, k.runId]),
    // Kept as the catalog keeps every coordinate: to 0.01 px.
    chosen.joints.map(([x, y]) => [roundCoordinate(x), roundCoordinate(y), 2, 'model', runId]),
  );
  const listed = (await api.call('predictions.list', { project, setId: folderSet })).items.find(
    (p) => p.id === chosen.id,
  )!;
  assert.equal(listed.imageId, imageId);
  assert.equal(listed.accepted, true);
  // Accepting again changes nothing.
  assert.deepEqual(await api.call('predictions.accept', { project, predictionId: chosen.id }), { imageId, instanceId });
  assert.equal((await api.call('images.get', { project, imageId })).instances.length, 1);

  // Once a person corrects it, it is a label like any other.
  const saved = await api.call('keypoints.save', {
    project,
    instanceId,
    keypoints: [{ joint: 0, x: 10, y: 12, visibility: 2 }],
  });
  assert.equal(saved.keypoints[0].source, 'human');
  assert.equal(saved.keypoints[1].source, 'model');
  const corrected = (await api.call('predictions.list', { project, setId: folderSet })).items.find(
    (p) => p.id === chosen.id,
  )!;
  assert.equal(corrected.accepted, false);
  assert.deepEqual(corrected.truth?.[0], [10, 12, 2]);
  assert.equal(corrected.errorPx, Math.hypot(chosen.joints[0][0] - 10, chosen.joints[0][1] - 12));
});

test('predictions over a labeled split carry per-image errors and the metrics beside the mean-pose baseline', async () => {
  const { taskId, setId } = await api.call('predict.start', {
    project,
    model: { runId, checkpoint: 'latest' },
    source: { split: 'val' },
  });
  await finished(taskId);
  const val = await api.call('images.list', { project, split: 'val' });
  const { total, items } = await api.call('predictions.list', { project, setId, sort: 'error' });
  assert.ok(total >= val.total, `${total} predictions for ${val.total} val images`);
  const errors = items.map((p) => p.errorPx);
  assert.ok(errors.every((e) => e !== null && e > 0));
  assert.deepEqual(
    errors,
    [...errors].sort((a, b) => b! - a!),
    'worst first',
  );

  // The error is the mean distance to the labeled joints of the image's person.
  const worst = items[0];
  const labeled = worst.truth!.map((t, j) => [t, worst.joints[j]] as const).filter(([t]) => t[2] > 0);
  const mean = labeled.reduce((sum, [t, p]) => sum + Math.hypot(p[0] - t[0], p[1] - t[1]), 0) / labeled.length;
  assert.ok(Math.abs(worst.errorPx! - mean) < 1e-9);
  assert.equal(worst.perJointErrorPx!.filter((e) => e !== null).length, labeled.length);
  // Joints land in (or near) the image they were predicted for.
  assert.ok(
    worst.joints.every(
      ([x, y]) => x > -worst.width && x < 2 * worst.width && y > -worst.height && y < 2 * worst.height,
    ),
  );

  const metrics = await api.call('predictions.metrics', { project, setId });
  assert.ok(metrics);
  assert.equal(metrics.labeled, total);
  assert.equal(metrics.pckPerJoint.length, 14);
  assert.equal(metrics.meanPixelErrorPerJoint.length, 14);
  assert.ok(metrics.pckMean >= 0 && metrics.pckMean <= 1);
  // The baseline sees what the model sees (each whole picture): on 30 pictures it may well score 0.
  assert.ok(
    metrics.baselinePckMean !== null && metrics.baselinePckMean >= 0 && metrics.baselinePckMean <= 1,
    'the mean pose fitted on the train split is scored',
  );
  assert.equal(metrics.baselinePixelErrorPerJoint?.length, 14);
  assert.ok(
    metrics.baselinePixelErrorPerJoint!.every((e) => e !== null && e > 0 && Number.isFinite(e)),
    'the baseline misses every labeled joint by some pixels',
  );
  assert.deepEqual(
    metrics.curve.map((c) => c.threshold),
    [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5],
  );
  assert.equal(metrics.curve.find((c) => c.threshold === 0.2)?.pck, metrics.pckMean);
  assert.ok(metrics.pcpPerLimb.some((l) => l.limb === 'torso'));
  // The same crops, mapping and scoring as training's validation: the same PCK for the same weights.
  const lastValidation = (await api.call('runs.get', { project, runId })).metrics
    .filter((m) => m.split === 'val')
    .at(-1);
  assert.ok(lastValidation?.pck !== null && lastValidation?.pck !== undefined);
  assert.ok(
    Math.abs(metrics.pckMean - lastValidation.pck) < 1e-9,
    `prediction PCK ${metrics.pckMean}, training's last validation PCK ${lastValidation.pck}`,
  );

  // On an image of the project, a person added but not yet labeled takes the accepted prediction.
  const empty = await api.call('instances.create', { project, imageId: worst.imageId! });
  const accepted = await api.call('predictions.accept', { project, predictionId: worst.id });
  assert.deepEqual(accepted, { imageId: worst.imageId, instanceId: empty.id });
  const filled = (await api.call('images.get', { project, imageId: worst.imageId! })).instances.find(
    (i) => i.id === empty.id,
  )!;
  assert.ok(filled.keypoints.every((k) => k.source === 'model' && k.runId === runId && k.visibility === 2));
});

test('a cancelled job ends as cancelled and keeps what it predicted', async () => {
  const { taskId, setId } = await api.call('predict.start', {
    project,
    model: { modelFolder: runDir },
    source: { folder: newImages },
  });
  await api.call('tasks.cancel', { id: taskId });
  await finished(taskId, 'cancelled');
  const set = (await api.call('predictions.sets', { project })).find((s) => s.id === setId)!;
  assert.equal(set.runId, runId, 'a model folder inside a run is credited to that run');
  assert.ok(set.count < NEW_COUNT);
});

test('bad requests name the problem', async () => {
  await assert.rejects(
    api.call('predict.start', { project, model: { modelFolder: join(temp.dir, 'nowhere') }, source: { split: 'val' } }),
    /nowhere: no TensorFlow\.js model here/,
  );
  await assert.rejects(
    api.call('predict.start', {
      project,
      model: { runId, checkpoint: 'final' },
      source: { folder: join(temp.dir, 'nowhere') },
    }),
    /nowhere: no such file or folder/,
  );
  await assert.rejects(api.call('predictions.list', { project, setId: 999 }), /no prediction set 999/);
});

test("a run's model exports to ONNX through the CLI and the API, the same file, predicting as the model does", async () => {
  const cliFile = join(outDir, 'cli.onnx');
  assert.match(
    deeppose('export-model', '--model', runDir, cliFile),
    /wrote .*cli\.onnx, .*cli\.stage-2\.onnx, .*cli\.stage-3\.onnx, .*cli\.cascade\.json, .*cli\.cascade\.py: [\d,]+ parameters/,
  );
  const written = await api.call('models.exportOnnx', {
    project,
    model: { runId, checkpoint: 'final' },
    path: join(project, 'exports', 'api.onnx'),
  }); // serve writes only inside the project
  assert.equal(written.files.length, 5, 'a three-stage cascade: three graphs, the crop rule and its runner');
  // Carried as a task, which ends naming what it wrote (the export used to be silent).
  const task = (await api.call('tasks.list', {})).find((t) => t.title === 'Export ONNX api.onnx');
  assert.equal(task?.state, 'succeeded');
  assert.deepEqual((task?.result as { files: string[] }).files, written.files);
  const bytes = readFileSync(cliFile);
  for (const [i, file] of written.files.slice(0, 3).entries()) {
    assert.ok(
      readFileSync(file).equals(readFileSync(i === 0 ? cliFile : cliFile.replace('.onnx', `.stage-${i + 1}.onnx`))),
      `stage ${i + 1}: the writer is deterministic and both doors export the final model`,
    );
  }

  await tf.setBackend('cpu');
  const model = await loadModel(join(runDir, 'model'));
  const side = model.inputs[0].shape[1]!;
  const x = tf.randomUniform([2, side, side, 3], 0, 1, 'float32', 5);
  const expected = (model.predict(x) as tf.Tensor).dataSync();
  const [actual] = OnnxSession.fromBytes(bytes).run(
    [{ name: ONNX_INPUT, shape: [2, side, side, 3], data: x.dataSync() as Float32Array }],
    [{ name: ONNX_OUTPUT, shape: [2, expected.length / 2] }],
  );
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-4, `output ${i}: ONNX ${v}, tfjs ${expected[i]}`));
  await assert.rejects(
    api.call('models.exportOnnx', {
      project,
      model: { modelFolder: join(temp.dir, 'nowhere') },
      path: join(project, 'x.onnx'),
    }),
    /nowhere: no TensorFlow\.js model here/,
  );
});
