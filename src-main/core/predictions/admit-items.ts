// Before a prediction job decodes anything, each image passes the studio's admission rule
// (media/image-admission.ts) and, for paths a catalog or a list supplied, the caller's read
// check: an inadmissible image is skipped with its reason instead of reaching the decoder.
import { imageAdmissionProblem } from '../media/image-admission';

export interface SkippedImage {
  imagePath: string;
  reason: string;
}

export async function admitItems<T extends { imagePath: string }>(
  items: T[],
  checkPath: (path: string) => Promise<unknown> = async () => undefined,
): Promise<{ admitted: T[]; skipped: SkippedImage[] }> {
  const problems = new Map<string, string | null>();
  for (const { imagePath } of items) {
    if (problems.has(imagePath)) continue;
    const refused = await checkPath(imagePath).then(
      () => null,
      (error: Error) => error.message,
    );
    problems.set(imagePath, refused ?? (await imageAdmissionProblem(imagePath)));
  }
  const admitted = items.filter((item) => problems.get(item.imagePath) === null);
  const skipped = [...problems].flatMap(([imagePath, reason]) => (reason === null ? [] : [{ imagePath, reason }]));
  return { admitted, skipped };
}
