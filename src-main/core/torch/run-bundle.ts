// A run as the PyTorch engine reads it, in one folder that needs no studio: each example's
// crop made by the studio's own crop code (the crop rule's square scaled to the base size, as
// PNG), its joints in image pixels, box, and the square the crop shows; for a cascade, each picture
// as decoded here (lossless PNG: the later stages cut their crops from it); the frozen settings;
// the layer plan; and a manifest with every file's sha256, written last (a bundle without
// manifest.json is incomplete). engines/torch/deeppose_torch/bundle.py reads it.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { TrainingConfig } from '../../../src-shared/training/config';
import type { Example } from '../../../src-shared/training/protocol';
import { cropSquare, type Square } from '../pose/crop-geometry';
import { cropToBase, decodeImage, type DecodedImage } from '../pose/load-crop';
import { architectures, baseSize } from '../pose/architectures';
import { networkPlan, type LayerSpec } from '../training/models/network-plan';
import { writeFileDurable } from '../files/durable-write';
import { cascadeRule } from '../pose/cascade-files';
import type { CascadeRule } from '../inference/cascade';

export const BUNDLE_FORMAT = 'deeppose-run-bundle-v1';
export const BUNDLE_MANIFEST = 'manifest.json';
const CONCURRENCY = 4;

export interface BundleExample {
  /** The crop's PNG, relative to the bundle. */
  crop: string;
  /** The square of the image the crop shows: [x0, y0, side] in image pixels. */
  square: [number, number, number];
  width: number;
  height: number;
  joints: [number, number, number][];
  box: [number, number, number, number] | null;
  /** Where the image was when the bundle was made (for people; the crop is what trains). */
  imagePath: string;
  /** The whole picture as decoded here (lossless PNG, relative to the bundle): a cascade's later stages crop from it. */
  image?: string;
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  createdAt: string;
  config: TrainingConfig;
  network: { model: string; inputSize: number; base: number; plan: LayerSpec[] };
  /** The crop rule of every stage (cascade.json's), so the engine never derives it again. */
  cascade: CascadeRule;
  splits: { train: string; val: string };
  /** sha256 of every other file, by path relative to the bundle. */
  files: Record<string, string>;
}

export interface WrittenBundle {
  dir: string;
  manifest: BundleManifest;
  examples: { train: BundleExample[]; val: BundleExample[] };
}

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

async function mapLimited<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** The example's crop as the studio's pipeline makes it before the input-size cut: base × base RGB. */
export async function baseCrop(
  example: Example,
  config: Pick<TrainingConfig, 'cropScale'>,
  base: number,
): Promise<{ rgb: Uint8Array; square: Square; width: number; height: number; image: DecodedImage }> {
  const image = await decodeImage(example.imagePath);
  const square = cropSquare({ box: example.box, width: image.width, height: image.height }, config.cropScale);
  return { rgb: await cropToBase(image, square, base), square, width: image.width, height: image.height, image };
}

export async function writeRunBundle(
  dir: string,
  config: TrainingConfig,
  dataset: { train: Example[]; val: Example[] },
  onProgress?: (done: number, total: number) => void,
): Promise<WrittenBundle> {
  const arch = architectures[config.model];
  const base = baseSize(arch);
  const files: Record<string, string> = {};
  const total = dataset.train.length + dataset.val.length;
  let done = 0;
  // A cascade's later stages cut crops around estimates anywhere in the picture: each picture
  // goes along once, named by its first appearance.
  const pictures = new Map<string, string>();
  if (config.stages > 1) {
    mkdirSync(join(dir, 'images'), { recursive: true });
    for (const example of [...dataset.train, ...dataset.val])
      if (!pictures.has(example.imagePath))
        pictures.set(example.imagePath, `images/${String(pictures.size).padStart(6, '0')}.png`);
  }
  const written = new Set<string>();
  const split = async (name: 'train' | 'val') => {
    mkdirSync(join(dir, 'crops', name), { recursive: true });
    const examples = await mapLimited(dataset[name], CONCURRENCY, async (example, i): Promise<BundleExample> => {
      const { rgb, square, width, height, image } = await baseCrop(example, config, base);
      const png = await sharp(rgb, { raw: { width: base, height: base, channels: 3 } })
        .png()
        .toBuffer();
      const crop = `crops/${name}/${String(i).padStart(6, '0')}.png`;
      writeFileSync(join(dir, crop), png);
      files[crop] = sha256(png);
      const picture = pictures.get(example.imagePath);
      if (picture && !written.has(picture)) {
        written.add(picture);
        const whole = await sharp(image.rgb, { raw: { width, height, channels: 3 } })
          .png({ compressionLevel: 3 })
          .toBuffer();
        writeFileSync(join(dir, picture), whole);
        files[picture] = sha256(whole);
      }
      onProgress?.(++done, total);
      return {
        crop,
        square: [square.x0, square.y0, square.side],
        width,
        height,
        joints: example.joints,
        box: example.box ?? null,
        imagePath: example.imagePath,
        ...(picture ? { image: picture } : {}),
      };
    });
    const text = JSON.stringify(examples);
    writeFileSync(join(dir, `${name}.json`), text);
    files[`${name}.json`] = sha256(text);
    return examples;
  };
  const examples = { train: await split('train'), val: await split('val') };
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    createdAt: new Date().toISOString(),
    config,
    network: { model: arch.name, inputSize: arch.inputSize, base, plan: networkPlan(arch, config.joints) },
    cascade: cascadeRule(config),
    splits: { train: 'train.json', val: 'val.json' },
    files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b))),
  };
  writeFileDurable(join(dir, BUNDLE_MANIFEST), JSON.stringify(manifest, null, 1));
  return { dir, manifest, examples };
}
