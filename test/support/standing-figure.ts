/**
 * Where a test clicks the 14 LSP joints, as fractions of the picture: a spread-out standing
 * figure (ankles to head top, in LSP's order), so no click lands on a joint already placed.
 */
export const STANDING_FIGURE: ReadonlyArray<readonly [number, number]> = [
  [0.35, 0.92],
  [0.37, 0.75],
  [0.4, 0.55],
  [0.6, 0.55],
  [0.62, 0.75],
  [0.64, 0.92],
  [0.2, 0.5],
  [0.25, 0.38],
  [0.38, 0.25],
  [0.62, 0.25],
  [0.75, 0.38],
  [0.8, 0.5],
  [0.5, 0.2],
  [0.5, 0.06],
];
