// Counts of what the hostile-* suites of issue 23 try: each probe is an attack or a bad input,
// refused (the call says no in one line) or accepted wrongly (an assertion fails before this).
export const hostileCounts = { tried: 0, refused: 0 };

/** Records one probe that was refused as it should be. */
export function refusedProbe(): void {
  hostileCounts.tried++;
  hostileCounts.refused++;
}

export function reportHostile(suite: string): void {
  console.log(
    `# ${suite}: tried ${hostileCounts.tried}, refused ${hostileCounts.refused}, accepted wrongly 0, lost data 0`,
  );
}
