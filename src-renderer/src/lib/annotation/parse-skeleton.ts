// A custom skeleton typed into the new-project form: joint names one per line; edges and
// left/right pairs one per line as "joint, joint" (names or 0-based indices).
import type { Skeleton } from '../../../../src-shared/domain/skeleton';

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

function parsePairs(text: string, joints: string[], what: string): [number, number][] {
  return lines(text).map((line, index) => {
    const parts = line.split(',').map((part) => part.trim());
    if (parts.length !== 2)
      throw new Error(`${what} line ${index + 1} ("${line}"): expected two joints separated by a comma`);
    const [a, b] = parts.map((part) => {
      const byName = joints.indexOf(part);
      if (byName >= 0) return byName;
      if (/^\d+$/.test(part) && Number(part) < joints.length) return Number(part);
      throw new Error(`${what} line ${index + 1}: "${part}" is not one of the joints`);
    });
    if (a === b) throw new Error(`${what} line ${index + 1}: a joint cannot pair with itself`);
    return [a, b];
  });
}

export function parseSkeleton(name: string, jointsText: string, edgesText: string, flipText: string): Skeleton {
  const joints = lines(jointsText);
  if (joints.length === 0) throw new Error('Joints: give at least one joint name, one per line');
  const duplicate = joints.find((joint, index) => joints.indexOf(joint) !== index);
  if (duplicate) throw new Error(`Joints: "${duplicate}" appears twice`);
  return {
    name: name.trim() || 'custom',
    joints,
    edges: parsePairs(edgesText, joints, 'Edges'),
    flipPairs: parsePairs(flipText, joints, 'Left/right pairs'),
  };
}
