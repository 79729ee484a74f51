// The workspace's keyboard commands, declared once: the key handler and the help overlay
// both read this table.
export type Command =
  | 'next-image'
  | 'previous-image'
  | 'next-unlabeled-image'
  | 'next-joint'
  | 'previous-joint'
  | 'cycle-visibility'
  | 'toggle-absent'
  | 'delete-joint'
  | 'nudge-joint'
  | 'next-instance'
  | 'box-tool'
  | 'zoom-in'
  | 'zoom-out'
  | 'fit'
  | 'undo'
  | 'redo'
  | 'suggest'
  | 'accept-suggestions'
  | 'help';

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

interface Binding {
  command: Command;
  /** What the help overlay shows. */
  keys: string[];
  description: string;
  matches(press: KeyPress, key: string, mod: boolean): boolean;
}

const ARROWS: Record<string, [number, number]> = {
  arrowleft: [-1, 0],
  arrowright: [1, 0],
  arrowup: [0, -1],
  arrowdown: [0, 1],
};
/** Image pixels a Shift + arrow moves a joint (an arrow alone: 1). */
const NUDGE_FAR = 10;

const plain =
  (...keys: string[]) =>
  (press: KeyPress, key: string, mod: boolean) =>
    !mod && !press.altKey && keys.includes(key);

export const bindings: Binding[] = [
  { command: 'next-image', keys: ['D', 'Page Down'], description: 'Next image', matches: plain('d', 'pagedown') },
  { command: 'previous-image', keys: ['A', 'Page Up'], description: 'Previous image', matches: plain('a', 'pageup') },
  {
    command: 'next-unlabeled-image',
    keys: ['N'],
    description: 'Next image not fully labeled (in grid order)',
    matches: plain('n'),
  },
  { command: 'next-joint', keys: ['S'], description: 'Next joint', matches: plain('s') },
  { command: 'previous-joint', keys: ['W'], description: 'Previous joint', matches: plain('w') },
  {
    command: 'cycle-visibility',
    keys: ['V'],
    description: 'Cycle visible → occluded → not labeled',
    matches: plain('v'),
  },
  {
    command: 'toggle-absent',
    keys: ['X'],
    description: 'Mark the selected joint absent (out of frame: counts as done, exported as v = 0); again: not labeled',
    matches: plain('x'),
  },
  {
    command: 'delete-joint',
    keys: ['Delete', 'Backspace'],
    description: 'Delete the selected joint (with the Box tool: clear the box)',
    matches: plain('delete', 'backspace'),
  },
  {
    command: 'nudge-joint',
    keys: ['←', '→', '↑', '↓'],
    description: 'Move the selected joint by 1 image pixel (Shift: 10)',
    matches: (press, key, mod) => !mod && !press.altKey && Object.hasOwn(ARROWS, key),
  },
  { command: 'next-instance', keys: ['I'], description: 'Select the next person', matches: plain('i') },
  {
    command: 'box-tool',
    keys: ['B'],
    description: "Box tool on / off: draw the selected person's box",
    matches: plain('b'),
  },
  { command: 'zoom-in', keys: ['+', '='], description: 'Zoom in', matches: plain('+', '=') },
  { command: 'zoom-out', keys: ['-'], description: 'Zoom out', matches: plain('-', '_') },
  { command: 'fit', keys: ['F', '0'], description: 'Fit the image to the window', matches: plain('f', '0') },
  {
    command: 'undo',
    keys: ['Ctrl+Z'],
    description: 'Undo',
    matches: (press, key, mod) => mod && !press.shiftKey && key === 'z',
  },
  {
    command: 'redo',
    keys: ['Ctrl+Shift+Z', 'Ctrl+Y'],
    description: 'Redo',
    matches: (press, key, mod) => mod && ((press.shiftKey && key === 'z') || (!press.shiftKey && key === 'y')),
  },
  {
    command: 'suggest',
    keys: ['G'],
    description: 'Suggest people and joints with the built-in pose model (drawn hollow, dashed)',
    matches: plain('g'),
  },
  { command: 'accept-suggestions', keys: ['Y'], description: 'Accept every suggested joint', matches: plain('y') },
  {
    command: 'help',
    keys: ['?', 'H'],
    description: 'Show or hide this help',
    matches: (press, key, mod) => !mod && (key === '?' || key === 'h'),
  },
];

/** Mouse gestures, listed in the help overlay next to the keys. */
export const gestures: Array<{ keys: string[]; description: string }> = [
  { keys: ['Click'], description: 'Place the next unlabeled joint' },
  { keys: ['Shift + click'], description: 'Place the next joint as occluded' },
  { keys: ['Drag joint'], description: 'Move a joint' },
  { keys: ['Drag or click a suggested joint'], description: 'Accept it (where it is dropped)' },
  { keys: ['Box tool: drag'], description: "Draw the person's box; drag its corners, edges or inside to adjust it" },
  { keys: ['Drag background', 'Space + drag'], description: 'Pan' },
  { keys: ['Wheel'], description: 'Zoom around the cursor' },
];

export function commandFor(press: KeyPress): Command | null {
  const key = press.key.toLowerCase();
  const mod = press.ctrlKey || press.metaKey;
  return bindings.find((binding) => binding.matches(press, key, mod))?.command ?? null;
}

/** The image-pixel step an arrow key gives the selected joint, or null for other keys. */
export function nudgeFor(press: KeyPress): { dx: number; dy: number } | null {
  const key = press.key.toLowerCase();
  if (!Object.hasOwn(ARROWS, key)) return null;
  const step = ARROWS[key];
  const size = press.shiftKey ? NUDGE_FAR : 1;
  return { dx: step[0] * size, dy: step[1] * size };
}
