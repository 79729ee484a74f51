// The Predict view's state for one project: the runs to pick a model from, the prediction
// sets, the one on screen (loaded whole, page by page) and the prediction task filling it.
import type {
  Prediction,
  PredictionFormat,
  PredictionMetrics,
  PredictionSet,
  PredictionSort,
} from '../../../../src-shared/api/predictions.contract';
import type { RunSummary } from '../../../../src-shared/api/training.contract';
import type { ProjectSummary } from '../../../../src-shared/domain/project';
import type { DenseWeights } from '../../../../src-shared/training/protocol';
import { api } from '../api/api';
import { PagedLoader } from './paged-loader';
import type { ModelChoiceInput, PredictionSourceInput } from './predict-inputs';

const PAGE_SIZE = 500;
/** While a prediction runs, the open set is reloaded at most this often; big sets less often. */
const refreshGapMs = (loaded: number) => Math.min(5000, Math.max(700, loaded * 0.25));

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export type SortOrder = PredictionSort;
/** An order the server actually applied ('auto' resolved). */
export type AppliedOrder = Exclude<PredictionSort, 'auto'>;

export class PredictSession {
  summary = $state.raw<ProjectSummary | null>(null);
  runs = $state.raw<RunSummary[]>([]);
  sets = $state.raw<PredictionSet[]>([]);
  setId = $state<number | null>(null);
  /** 'auto' until the user picks: worst error first with labels, else least confident first. */
  sort = $state<SortOrder>('auto');
  /** The order the open set is shown in. */
  appliedSort = $state<AppliedOrder | null>(null);
  /** Everything of the open set loaded so far, in the server's order. */
  items = $state.raw<Prediction[]>([]);
  total = $state(0);
  metrics = $state.raw<PredictionMetrics | null>(null);
  /** The task predicting into the open set, while this page knows it. */
  taskId = $state<string | null>(null);
  starting = $state(false);
  /** Runs and sets have been read once. */
  loaded = $state(false);
  error = $state<string | null>(null);

  private loader = new PagedLoader<Prediction>(PAGE_SIZE);
  private refreshing = false;
  private refreshAgain = false;

  constructor(readonly project: string) {}

  get openSet(): PredictionSet | null {
    return this.sets.find((s) => s.id === this.setId) ?? null;
  }

  async attach(): Promise<void> {
    try {
      const [summary, runs, sets] = await Promise.all([
        api.call('projects.open', { folder: this.project }),
        api.call('runs.list', { project: this.project }),
        api.call('predictions.sets', { project: this.project }),
      ]);
      this.summary = summary;
      this.runs = runs;
      this.sets = sets;
      this.loaded = true;
      if (sets.length && this.setId == null) await this.openSetById(sets[0].id);
    } catch (e) {
      this.error = message(e);
    }
  }

  async start(
    model: ModelChoiceInput,
    source: PredictionSourceInput,
    options: { flipCheck: boolean; denseWeights: DenseWeights },
  ): Promise<void> {
    this.starting = true;
    this.error = null;
    try {
      const { taskId, setId } = await api.call('predict.start', { project: this.project, model, source, ...options });
      this.taskId = taskId;
      await this.refreshSets();
      await this.openSetById(setId);
    } catch (e) {
      this.error = message(e);
    } finally {
      this.starting = false;
    }
  }

  async openSetById(setId: number): Promise<void> {
    if (this.setId !== setId) {
      this.setId = setId;
      this.items = [];
      this.total = 0;
      this.metrics = null;
    }
    await this.reload(true);
  }

  async setSort(sort: SortOrder): Promise<void> {
    this.sort = sort;
    await this.reload(true);
  }

  /**
   * Loads the open set again. A fresh view fills page by page; a refresh while predicting
   * swaps the whole list at once so the grid does not flicker.
   */
  private async reload(progressive: boolean): Promise<void> {
    const setId = this.setId;
    if (setId == null) return;
    if (progressive) {
      this.items = [];
      this.total = 0;
    }
    try {
      const complete = await this.loader.load(
        async (offset, limit) => {
          const page = await api.call('predictions.list', {
            project: this.project,
            setId,
            sort: this.sort,
            offset,
            limit,
          });
          this.appliedSort = page.sort;
          return page;
        },
        (items, total) => {
          this.total = total;
          if (progressive) this.items = items;
          else if (items.length >= total) this.items = items;
        },
      );
      if (complete) this.metrics = await api.call('predictions.metrics', { project: this.project, setId });
    } catch (e) {
      this.error = message(e);
    }
  }

  /** Called on each progress update of the prediction task; coalesces into few reloads. */
  async refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = true;
    try {
      do {
        this.refreshAgain = false;
        await this.reload(false);
        await new Promise((r) => setTimeout(r, refreshGapMs(this.items.length)));
      } while (this.refreshAgain);
    } finally {
      this.refreshing = false;
    }
  }

  /** The prediction task ended: its set's count and timing are final, and so are the metrics. */
  async taskEnded(): Promise<void> {
    await this.refreshSets();
    await this.reload(false);
  }

  async refreshSets(): Promise<void> {
    try {
      this.sets = await api.call('predictions.sets', { project: this.project });
    } catch (e) {
      this.error = message(e);
    }
  }

  /** Makes one prediction the image's label; answers the image id to open in the annotation workspace. */
  async accept(prediction: Prediction): Promise<number> {
    this.pinOrder();
    const { imageId } = await api.call('predictions.accept', { project: this.project, predictionId: prediction.id });
    this.items = this.items.map((p) => (p.id === prediction.id ? { ...p, accepted: true, imageId } : p));
    await this.refreshInPlace();
    return imageId;
  }

  /** The user acted on what is shown (accepted, corrected): the order stays, whatever 'auto' would choose now. */
  private pinOrder(): void {
    if (this.sort === 'auto' && this.appliedSort) this.sort = this.appliedSort;
  }

  /**
   * Labels changed under the open set (an accept, a correction): each prediction's label, error
   * and acceptance are read again and the metrics with them, every tile left where it was.
   */
  async refreshInPlace(): Promise<void> {
    this.pinOrder();
    const setId = this.setId;
    if (setId == null) return;
    const where = new Map(this.items.map((p, i) => [p.id, i]));
    try {
      const fresh: Prediction[] = [];
      for (;;) {
        const page = await api.call('predictions.list', {
          project: this.project,
          setId,
          sort: this.sort,
          offset: fresh.length,
          limit: PAGE_SIZE,
        });
        fresh.push(...page.items);
        if (page.items.length === 0 || fresh.length >= page.total) break;
      }
      if (this.setId !== setId) return;
      const last = Number.MAX_SAFE_INTEGER;
      fresh.sort((a, b) => (where.get(a.id) ?? last) - (where.get(b.id) ?? last));
      this.items = fresh;
      this.total = fresh.length;
      this.metrics = await api.call('predictions.metrics', { project: this.project, setId });
    } catch (e) {
      this.error = message(e);
    }
  }

  async exportSet(format: PredictionFormat, path: string, overwrite = false): Promise<{ path: string; count: number }> {
    if (this.setId == null) throw new Error('No prediction set is open.');
    return api.call('predictions.export', { project: this.project, setId: this.setId, format, path, overwrite });
  }

  detach(): void {
    this.loader.cancel();
  }
}
