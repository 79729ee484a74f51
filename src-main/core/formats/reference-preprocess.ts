// The reference work's data preparation: a 256×256 crop centred on the middle of the labeled
// joints (padded with black where it leaves the image), dropping examples the network could
// not see whole: a labeled joint outside the image, or labeled joints spanning more than 227
// pixels (the training crop) in x or y.
import sharp from 'sharp';
import type { Visibility } from '../../../src-shared/domain/keypoint';
import { MAX_IMAGE_PIXELS } from '../media/ingest';

export const CROP_SIZE = 256;
export const NETWORK_INPUT = 227;

export interface CropPlan {
  left: number;
  top: number;
}

/** Where to crop, or the reason the example is dropped. */
export function planCrop(
  joints: [number, number, Visibility][],
  width: number,
  height: number,
): CropPlan | { drop: string } {
  const labeled = joints.filter(([, , v]) => v > 0);
  if (labeled.length === 0) return { drop: 'no labeled joint' };
  if (labeled.some(([x, y]) => x < 0 || y < 0 || x >= width || y >= height))
    return { drop: 'a labeled joint lies outside the image' };
  const xs = labeled.map(([x]) => x);
  const ys = labeled.map(([, y]) => y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  if (maxX - minX > NETWORK_INPUT || maxY - minY > NETWORK_INPUT)
    return { drop: `the joints span more than ${NETWORK_INPUT} pixels` };
  return { left: Math.round((minX + maxX) / 2 - CROP_SIZE / 2), top: Math.round((minY + maxY) / 2 - CROP_SIZE / 2) };
}

/** The 256×256 JPEG of `plan` (EXIF orientation applied first, as the catalog's coordinates are). */
export async function cropImage(imagePath: string, width: number, height: number, plan: CropPlan): Promise<Buffer> {
  const x0 = Math.max(0, plan.left);
  const y0 = Math.max(0, plan.top);
  const x1 = Math.min(width, plan.left + CROP_SIZE);
  const y1 = Math.min(height, plan.top + CROP_SIZE);
  const inside = await sharp(imagePath, { limitInputPixels: MAX_IMAGE_PIXELS })
    .rotate()
    .extract({ left: x0, top: y0, width: x1 - x0, height: y1 - y0 })
    .toBuffer();
  return sharp(inside)
    .extend({
      left: x0 - plan.left,
      top: y0 - plan.top,
      right: plan.left + CROP_SIZE - x1,
      bottom: plan.top + CROP_SIZE - y1,
      background: { r: 0, g: 0, b: 0 },
    })
    .jpeg({ quality: 95 })
    .toBuffer();
}
