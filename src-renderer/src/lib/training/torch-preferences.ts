// How the PyTorch engine runs on this machine — the python3 that has torch, and how many
// processes — is a preference of the machine, not a setting of the run (a run moved to a cluster
// keeps its settings and runs on that machine's python): kept in the browser's localStorage,
// sent with training.start and training.resume when the run's engine is PyTorch.
export interface TorchPreferences {
  /** python3 with PyTorch; empty: python3 on PATH. */
  python: string;
  /** Processes on this machine (GPUs, or CPU processes); 1 runs no torchrun. */
  nproc: number;
}

const KEY = 'deeppose.torchEngine';
const DEFAULTS: TorchPreferences = { python: '', nproc: 1 };

function store(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage refused: the defaults stand for this page
  }
}

export function loadTorchPreferences(): TorchPreferences {
  try {
    const saved = JSON.parse(store()?.getItem(KEY) ?? 'null') as Partial<TorchPreferences> | null;
    return {
      python: typeof saved?.python === 'string' ? saved.python : DEFAULTS.python,
      nproc:
        Number.isInteger(saved?.nproc) && saved!.nproc! >= 1 && saved!.nproc! <= 64 ? saved!.nproc! : DEFAULTS.nproc,
    };
  } catch {
    return { ...DEFAULTS };
  }
}

export function saveTorchPreferences(preferences: TorchPreferences): void {
  try {
    store()?.setItem(KEY, JSON.stringify(preferences));
  } catch {
    // not kept: the values still go with this page's runs
  }
}

/** The contract's `torch` field: only what differs from the defaults. */
export function torchLaunch(preferences: TorchPreferences): { python?: string; nproc?: number } {
  return {
    ...(preferences.python.trim() ? { python: preferences.python.trim() } : {}),
    ...(preferences.nproc > 1 ? { nproc: preferences.nproc } : {}),
  };
}
