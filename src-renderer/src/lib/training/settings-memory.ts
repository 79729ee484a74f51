// The Train view's settings outlive the view: leaving it and coming back, reloading the tab or
// opening the project elsewhere shows what the user last set, not the paper's AlexNet again.
// Kept with the project (its catalog, through the API: the truth) and, for the first paint
// before that answer, per project in the tab's sessionStorage (in memory where there is none);
// a stored value the schema no longer accepts falls back to its default.
import { defaultSettings, settingError, type SettingKey, type Settings } from './settings';

export interface SettingsStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const memory = new Map<string, string>();
const inMemory: SettingsStore = { getItem: (k) => memory.get(k) ?? null, setItem: (k, v) => void memory.set(k, v) };

function sessionStore(): SettingsStore {
  try {
    return globalThis.sessionStorage ?? inMemory;
  } catch {
    return inMemory; // storage refused (e.g. sandboxed): the session in memory still works
  }
}

const keyOf = (project: string) => `deeppose.trainSettings:${project}`;

/** Whether this tab has set the project's settings itself (then its copy is the newest it knows). */
export function hasRememberedSettings(project: string, store: SettingsStore = sessionStore()): boolean {
  try {
    return store.getItem(keyOf(project)) !== null;
  } catch {
    return false;
  }
}

export function rememberedSettings(project: string, store: SettingsStore = sessionStore()): Settings {
  let stored: unknown;
  try {
    stored = JSON.parse(store.getItem(keyOf(project)) ?? 'null');
  } catch {
    return defaultSettings();
  }
  return settingsFrom(stored);
}

/** Settings from stored values: each one the schema accepts, the default for the rest. */
export function settingsFrom(stored: unknown): Settings {
  const settings = defaultSettings();
  if (!stored || typeof stored !== 'object') return settings;
  for (const [key, value] of Object.entries(stored)) {
    if (key in settings && settingError(key as SettingKey, value) === null)
      (settings as Record<string, unknown>)[key] = value;
  }
  return settings;
}

export function rememberSettings(project: string, settings: Settings, store: SettingsStore = sessionStore()): void {
  try {
    store.setItem(keyOf(project), JSON.stringify(settings));
  } catch {
    // full or refused: the form still holds them for this visit
  }
}
