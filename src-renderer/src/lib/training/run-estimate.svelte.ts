// The Train view's estimate of the run its settings describe: asked again (after a pause in
// typing) whenever the settings or the runs change, and a speed calibration on demand. Only
// the newest answer is shown, however the replies arrive.
import type { TrainingSettingsInput } from '../../../../src-shared/api/training.contract';
import type { RunEstimate } from '../../../../src-shared/training/run-estimate';
import { api } from '../api/api';

const PAUSE_MS = 300;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class RunEstimateState {
  estimate = $state.raw<RunEstimate | null>(null);
  error = $state<string | null>(null);
  /** True from a change of settings until the estimate for them arrives (the one shown is stale). */
  pending = $state(false);
  /** The calibration task while it runs. */
  measuringTask = $state<string | null>(null);

  private asked = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private settings: TrainingSettingsInput | null = null;
  private offTask: (() => void) | null = null;

  constructor(readonly project: string) {}

  /** Settings that do not validate have no estimate. */
  update(settings: TrainingSettingsInput | null): void {
    this.settings = settings;
    if (this.timer) clearTimeout(this.timer);
    if (!settings) {
      this.asked++;
      this.estimate = null;
      this.pending = false;
      return;
    }
    this.pending = true;
    this.timer = setTimeout(() => void this.refresh(), PAUSE_MS);
  }

  async refresh(): Promise<void> {
    const settings = this.settings;
    if (!settings) return;
    const ask = ++this.asked;
    try {
      const estimate = await api.call('training.estimate', { project: this.project, settings });
      if (ask !== this.asked) return;
      this.estimate = estimate;
      this.error = null;
    } catch (e) {
      if (ask === this.asked) this.error = message(e);
    } finally {
      if (ask === this.asked) this.pending = false;
    }
  }

  /** Times a few steps of the current settings in a worker; the estimate is asked again when it ends. */
  async measure(): Promise<void> {
    const settings = this.settings;
    if (!settings || this.measuringTask) return;
    this.error = null;
    try {
      const { taskId } = await api.call('training.measureSpeed', { project: this.project, settings });
      this.measuringTask = taskId;
      this.offTask?.();
      this.offTask = api.on('task.updated', (task) => {
        if (task.id !== taskId || task.state === 'running') return;
        this.offTask?.();
        this.offTask = null;
        this.measuringTask = null;
        if (task.state === 'failed') this.error = `Measuring the speed failed: ${task.error ?? 'unknown error'}`;
        void this.refresh();
      });
    } catch (e) {
      this.error = message(e);
    }
  }

  cancelMeasure(): void {
    if (this.measuringTask) void api.call('tasks.cancel', { id: this.measuringTask }).catch(() => undefined);
  }

  detach(): void {
    if (this.timer) clearTimeout(this.timer);
    this.offTask?.();
    this.offTask = null;
  }
}
