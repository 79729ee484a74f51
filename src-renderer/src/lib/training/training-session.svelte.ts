// The Train view's state for one project: dataset summary, backends, runs, the run on screen
// and the runs being compared, kept current by the live 'training.event' stream. A reload
// builds the same picture from runs.list + runs.get, then follows the events again.
import type {
  BackendStatus,
  DatasetSummary,
  RunEvent,
  RunSummary,
  TrainingSettingsInput,
} from '../../../../src-shared/api/training.contract';
import type { EventPayload } from '../../../../src-shared/api/contract';
import { api } from '../api/api';
import { applyRunEvent, runStateFromHistory, withNote, withSummary, type RunState } from './run-state';
import { projectFilePath, safeFileName } from '../project-paths';
import type { HistoryCut } from './history-log';
import { loadTorchPreferences, torchLaunch } from './torch-preferences';
import { pickPath } from '../pick/pick.svelte';

type Received = { event: RunEvent; at: number };

/** Events kept per run since the page opened, to replay over a history fetched meanwhile. */
const RECENT_LIMIT = 5000;
const ENDINGS: RunEvent['type'][] = ['started', 'finished', 'failed', 'stopped'];

/** What the events seen live will log themselves, so the rebuilt log does not say it twice. */
function liveCut(recent: readonly Received[]): HistoryCut {
  const iterations = recent.flatMap(({ event }) => ('iteration' in event ? [event.iteration] : []));
  return {
    fromIteration: iterations.length ? Math.min(...iterations) : undefined,
    started: recent.some(({ event }) => event.type === 'started'),
    ended: recent.some(({ event }) => event.type !== 'started' && ENDINGS.includes(event.type)),
  };
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class TrainingSession {
  backends = $state.raw<BackendStatus[] | null>(null);
  summary = $state.raw<DatasetSummary | null>(null);
  summaryError = $state<string | null>(null);
  runs = $state.raw<RunSummary[]>([]);
  /** The run on the dashboard. */
  open = $state.raw<RunState | null>(null);
  compareIds = $state<string[]>([]);
  compared = $state.raw<Record<string, RunState>>({});
  edges = $state.raw<[number, number][]>([]);
  stopping = $state(false);
  busy = $state(false);
  error = $state<string | null>(null);
  /** What the last ONNX export wrote. */
  exported = $state<string | null>(null);
  /** The file the last ONNX export wrote (its first stage's graph), to copy or show in its folder. */
  exportedPath = $state<string | null>(null);

  private recent = new Map<string, Received[]>();
  private loading = new Set<string>();
  private unsubscribe: Array<() => void> = [];

  constructor(readonly project: string) {}

  get openSummary(): RunSummary | null {
    return this.runs.find((r) => r.id === this.open?.runId) ?? null;
  }

  get anyRunning(): boolean {
    return this.runs.some((r) => r.status === 'running' || r.status === 'queued');
  }

  /** Subscribe first, then read: nothing emitted in between is missed. */
  async attach(): Promise<void> {
    this.unsubscribe = [
      api.on('training.event', (payload) => this.receive(payload)),
      // A run says 'stopped' before its worker has exited; it can be resumed or deleted once its task ends.
      api.on('task.updated', (task) => {
        if (task.state !== 'running' && this.runs.some((r) => r.taskId === task.id)) void this.refreshRuns();
      }),
      api.onConnection((state) => {
        if (state === 'restored') void this.resync();
      }),
    ];
    api.call('training.backends', {}).then(
      (b) => (this.backends = b),
      (e) => (this.error = message(e)),
    );
    this.loadSummary();
    this.loadEdges();
    await this.refreshRuns();
    const live = this.runs.find((r) => r.status === 'running' || r.status === 'queued') ?? this.runs[0];
    if (live) await this.openRun(live.id, live.status === 'running' ? 'Reattached to the running run.' : undefined);
  }

  /** After a dropped connection: the runs, the open run and the compared ones read again. */
  private async resync(): Promise<void> {
    await this.refreshRuns();
    if (this.open) await this.openRun(this.open.runId);
    await this.loadCompared(Object.keys(this.compared));
  }

  detach(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
  }

  loadSummary(): void {
    api.call('training.summary', { project: this.project }).then(
      (s) => ((this.summary = s), (this.summaryError = null)),
      (e) => (this.summaryError = message(e)),
    );
  }

  /** The skeleton's bones, to draw the validation previews; the previews go without them if unknown. */
  private loadEdges(): void {
    api.call('projects.list', {}).then(
      (projects) => (this.edges = projects.find((p) => p.path === this.project)?.skeleton.edges ?? []),
      () => undefined,
    );
  }

  async refreshRuns(): Promise<void> {
    try {
      this.runs = await api.call('runs.list', { project: this.project });
    } catch (e) {
      this.error = message(e);
      return;
    }
    const byId = new Map(this.runs.map((r) => [r.id, r]));
    const current = this.open && byId.get(this.open.runId);
    // The event stream decides while a run is live; once it has ended the stored summary does.
    if (this.open && current && current.status !== 'running') this.open = withSummary(this.open, current);
    if (current && current.status !== 'running') this.stopping = false;
  }

  async openRun(runId: string, note?: string): Promise<void> {
    const state = await this.load(runId);
    if (state) this.open = note ? withNote(state, note, Date.now()) : state;
  }

  async start(settings: TrainingSettingsInput, name: string): Promise<void> {
    await this.act(async () => {
      // A plain copy: Electron's IPC cannot structured-clone a reactive proxy.
      const plain = $state.snapshot(settings) as TrainingSettingsInput;
      const { runId, note } = await api.call('training.start', {
        project: this.project,
        settings: plain,
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(plain.engine === 'torch' ? { torch: torchLaunch(loadTorchPreferences()) } : {}),
      });
      await this.refreshRuns();
      // A default validation split was held out: the log says so (the run keeps the note too).
      await this.openRun(runId, note ?? undefined);
    });
  }

  async stop(): Promise<void> {
    const open = this.open;
    if (!open) return;
    this.stopping = true;
    this.open = withNote(open, 'Stop asked: finishing the current step and writing a checkpoint.', Date.now());
    try {
      const run = await api.call('training.stop', { project: this.project, runId: open.runId });
      if (this.open?.runId === run.id && run.status !== 'running') this.open = withSummary(this.open, run);
      await this.refreshRuns();
    } catch (e) {
      this.error = message(e);
      this.stopping = false;
    }
  }

  async resume(runId: string): Promise<void> {
    await this.act(async () => {
      const torch = this.runs.find((r) => r.id === runId)?.config.engine === 'torch';
      const started = await api.call('training.resume', {
        project: this.project,
        runId,
        ...(torch ? { torch: torchLaunch(loadTorchPreferences()) } : {}),
      });
      await this.refreshRuns();
      await this.openRun(started.runId);
    });
  }

  /** A run bundle trained elsewhere (PyTorch, on a cluster) back as a run of the project, opened. */
  async importRun(): Promise<void> {
    const dir = await pickPath({ kind: 'folder', title: 'Import a trained run bundle' });
    if (!dir) return;
    await this.act(async () => {
      const run = await api.call('runs.import', { project: this.project, bundle: dir });
      await this.refreshRuns();
      await this.openRun(run.id);
    });
  }

  async remove(runId: string): Promise<void> {
    await this.act(async () => {
      await api.call('runs.delete', { project: this.project, runId });
      if (this.open?.runId === runId) this.open = null;
      this.compareIds = this.compareIds.filter((id) => id !== runId);
      this.recent.delete(runId);
      await this.refreshRuns();
    });
  }

  /** Writes a run's network (final model, else newest checkpoint) to exports/ in the project. */
  async exportOnnx(run: RunSummary): Promise<void> {
    await this.act(async () => {
      this.exported = null;
      this.exportedPath = null;
      const model = { runId: run.id, checkpoint: run.status === 'finished' ? ('final' as const) : ('latest' as const) };
      const input = {
        project: this.project,
        model,
        path: projectFilePath(this.project, `exports/${safeFileName(run.name)}.onnx`),
      };
      // The studio never replaces a file unasked: an earlier export of this run is replaced only on the user's word.
      const written = await api.call('models.exportOnnx', input).catch((e: { kind?: string; message?: string }) => {
        if (e.kind !== 'conflict' || !confirm(`${e.message}\n\nReplace it?`)) throw e;
        return api.call('models.exportOnnx', { ...input, overwrite: true });
      });
      this.exported = `Exported ${run.name} (${written.params.toLocaleString('en')} parameters, ${(written.bytes / 1e6).toFixed(1)} MB) to ${written.path}`;
      this.exportedPath = written.path;
    });
  }

  /** Loads the histories of newly ticked runs for the overlay. */
  async syncCompared(): Promise<void> {
    await this.loadCompared(this.compareIds.filter((id) => !this.compared[id]));
  }

  private async loadCompared(ids: string[]): Promise<void> {
    for (const id of ids) {
      const state = await this.load(id);
      if (state) this.compared = { ...this.compared, [id]: state };
    }
  }

  private async act(job: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      await job();
    } catch (e) {
      this.error = message(e);
    } finally {
      this.busy = false;
    }
  }

  /** History from the catalog, then the events received meanwhile, merged over it. */
  private async load(runId: string): Promise<RunState | null> {
    this.loading.add(runId);
    try {
      const { run, metrics } = await api.call('runs.get', { project: this.project, runId });
      const recent = this.recent.get(runId) ?? [];
      let state = runStateFromHistory(run, metrics, liveCut(recent));
      for (const { event, at } of recent) state = applyRunEvent(state, event, at, true);
      // The events seen may stop short of the run's end (a dropped connection): once the
      // catalog says the run has ended, that is its status.
      return run.status === 'running' || run.status === 'queued' ? state : withSummary(state, run);
    } catch (e) {
      this.error = message(e);
      return null;
    } finally {
      this.loading.delete(runId);
    }
  }

  private receive({ project, runId, event }: EventPayload<'training.event'>): void {
    if (project !== this.project) return;
    const at = Date.now();
    const seen = this.recent.get(runId) ?? [];
    seen.push({ event, at });
    if (seen.length > RECENT_LIMIT) seen.splice(0, seen.length - RECENT_LIMIT);
    this.recent.set(runId, seen);

    if (!this.loading.has(runId)) {
      if (this.open?.runId === runId) this.open = applyRunEvent(this.open, event, at);
      const compared = this.compared[runId];
      if (compared) this.compared = { ...this.compared, [runId]: applyRunEvent(compared, event, at) };
    }
    if (ENDINGS.includes(event.type)) {
      void this.refreshRuns();
      // A run started elsewhere (another window, the CLI) takes the dashboard if it is idle.
      if (
        event.type === 'started' &&
        this.open?.runId !== runId &&
        this.open?.status !== 'running' &&
        !this.loading.has(runId)
      )
        void this.openRun(runId);
    }
  }
}
