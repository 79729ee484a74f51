// Which joints count in the loss (and in the batches' masks): every joint without visibility,
// as the reference did on LSP; otherwise the labeled ones, optionally without the occluded ones.

export interface MaskOptions {
  useVisibility: boolean;
  countOccluded: boolean;
}

/** 1 where a joint counts in the loss, 0 where it is masked, from visibilities 0/1/2. */
export function jointWeight(visibility: number, options: MaskOptions): number {
  if (!options.useVisibility) return 1;
  if (visibility === 2) return 1;
  if (visibility === 1) return options.countOccluded ? 1 : 0;
  return 0;
}
