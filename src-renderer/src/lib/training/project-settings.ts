// The Train form's values kept with the project: read once when the view opens, written a
// moment after the user stops changing them (a burst of typing is one write).
import { api } from '../api/api';
import { settingsFrom } from './settings-memory';
import type { Settings } from './settings';

const WRITE_AFTER_MS = 400;

export async function projectFormSettings(project: string): Promise<Settings | null> {
  const stored = await api.call('training.formSettings', { project });
  return stored ? settingsFrom(stored) : null;
}

export class FormSettingsWriter {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private pending: Settings | null = null;

  constructor(private readonly project: string) {}

  keep(settings: Settings): void {
    this.pending = settings;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), WRITE_AFTER_MS);
  }

  /** Writes what is pending now (leaving the view must not lose the last change). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const settings = this.pending;
    this.pending = null;
    if (settings) await api.call('training.keepFormSettings', { project: this.project, settings }).catch(() => {}); // the form still holds them
  }
}
