// The optional native TensorFlow packages: why one cannot be used, in the same words in the
// Train view's backend list and in a run's notes (no tfjs import here: main reads this too).

export function nativePackageMissing(pkg: string): string {
  return `${pkg} is not installed (its install downloads libtensorflow, which failed or was skipped)`;
}
