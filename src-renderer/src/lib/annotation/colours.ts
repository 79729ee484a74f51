/** One distinct hue per joint, the same in the canvas and the joint list. */
export function jointColour(joint: number, jointCount: number): string {
  return `hsl(${Math.round((joint * 360) / Math.max(1, jointCount))}, 85%, 52%)`;
}

/** One hue per person (golden-angle steps keep neighbours apart), for its box. */
export function personColour(index: number): string {
  return `hsl(${Math.round((index * 137.508) % 360)}, 90%, 60%)`;
}
