// The studio's side of suggestions: runs the built-in pose model in a worker (one image on
// request, or every unlabeled image as a pre-label task with progress and cancel), stores what
// it suggests in the catalog apart from labels, and accepts or dismisses suggested people.
import {
  DEFAULT_PERSON_THRESHOLD,
  DEFAULT_SUGGEST_THRESHOLD,
  type SuggestedPerson,
} from '../../../src-shared/domain/suggestion';
import { StudioError } from '../../../src-shared/api/define';
import type { Catalog } from '../catalog/open-catalog';
import { getProjectCatalogs } from '../catalog/project-catalogs';
import {
  acceptSuggestion,
  dismissSuggestion,
  storeSuggestions,
  suggestionQueue,
  suggestionsOfImage,
  unlabeledImages,
  type StoredSuggestion,
} from '../catalog/suggestions';
import { perStudio } from '../per-studio';
import type { StudioContext } from '../studio-context';
import type { TaskContext } from '../tasks/task-manager';
import { poseModelsDir } from './pose-model-package';
import { startSuggestWorker, type SuggestHandle } from './suggest-host';

/** What the catalog records as the suggester of the built-in model's people. */
export const BUILT_IN_SUGGESTER = 'built-in pose model';
/** How long a cancelled pre-label waits for the worker to finish its image before ending it. */
const STOP_GRACE_MS = 1000;

export class SuggestionService {
  private readonly jobs = new Set<SuggestHandle>();

  constructor(private readonly ctx: StudioContext) {
    ctx.onClose(async () => {
      for (const job of this.jobs) job.stop();
      await Promise.all([...this.jobs].map((job) => job.done));
    });
  }

  /** One image, now: the worker loads the model, suggests, and ends. */
  async suggest(
    project: string,
    imageId: number,
    threshold = DEFAULT_SUGGEST_THRESHOLD,
  ): Promise<{ suggestions: StoredSuggestion[]; ms: number }> {
    const catalog = this.catalog(project);
    const image = catalog.db.prepare('SELECT path FROM images WHERE id = ?').get(imageId) as
      { path: string } | undefined;
    if (!image) throw new StudioError('not-found', `no image with id ${imageId} in ${catalog.dir}`);
    let result: { suggestions: StoredSuggestion[]; ms: number } | null = null;
    let skipped: string | null = null;
    await this.runWorker(
      [image.path],
      threshold,
      null,
      (_index, persons, ms) => {
        result = { suggestions: storeSuggestions(catalog, imageId, BUILT_IN_SUGGESTER, persons), ms };
      },
      (reason) => (skipped = reason),
    );
    if (!result) throw new StudioError('bad-input', `${image.path}: ${skipped ?? 'no suggestion came back'}`);
    return result;
  }

  /** Every unlabeled image, as a task; suggestions are stored as they come, so a cancel keeps what was done. */
  prelabel(project: string, threshold = DEFAULT_SUGGEST_THRESHOLD): { taskId: string; images: number } {
    const catalog = this.catalog(project);
    // Checked now, so a missing model is an answer to the call rather than a failed task.
    poseModelsDir(this.ctx.poseModelsDir);
    const images = unlabeledImages(catalog);
    if (images.length === 0) throw new StudioError('bad-input', `${catalog.dir}: every image already has labels`);
    const { task } = this.ctx.tasks.start(
      'suggestions',
      `Suggest joints for ${images.length} unlabeled images`,
      async (taskCtx) => {
        let people = 0;
        const skipped: { path: string; reason: string }[] = [];
        taskCtx.progress(0, images.length, 'loading the pose model');
        const end = await this.runWorker(
          images.map((i) => i.path),
          threshold,
          taskCtx,
          (index, persons) => {
            people += persons.length;
            storeSuggestions(catalog, images[index].id, BUILT_IN_SUGGESTER, persons);
          },
          (reason, index) => skipped.push({ path: images[index].path, reason }),
        );
        return {
          images: images.length,
          people,
          skipped,
          msPerImage: end.msPerImage,
          backend: end.backend,
          stopped: end.stopped,
        };
      },
    );
    return { taskId: task.id, images: images.length };
  }

  list(project: string, imageId: number): StoredSuggestion[] {
    return suggestionsOfImage(this.catalog(project), imageId);
  }

  queue(project: string) {
    return suggestionQueue(this.catalog(project));
  }

  accept(project: string, suggestionId: number) {
    return acceptSuggestion(this.catalog(project), suggestionId);
  }

  dismiss(project: string, suggestionId: number) {
    return dismissSuggestion(this.catalog(project), suggestionId);
  }

  private async runWorker(
    imagePaths: string[],
    threshold: number,
    taskCtx: TaskContext | null,
    onSuggestion: (index: number, persons: SuggestedPerson[], ms: number) => void,
    onSkipped: (reason: string, index: number) => void,
  ) {
    const modelsDir = poseModelsDir(this.ctx.poseModelsDir);
    const handle = startSuggestWorker(
      this.ctx.launchWorker,
      { modelsDir, imagePaths, threshold, personThreshold: DEFAULT_PERSON_THRESHOLD, backend: 'auto' },
      (event) => {
        if (event.type === 'suggestion') onSuggestion(event.index, event.persons, event.ms);
        else if (event.type === 'suggest-skipped') onSkipped(event.reason, event.index);
        else if (event.type === 'suggest-progress')
          taskCtx?.progress(event.done, event.total, `${event.done}/${event.total} images`);
      },
    );
    this.jobs.add(handle);
    // An image with many people takes seconds on a busy machine: a cancel waits for it only briefly.
    let killTimer: NodeJS.Timeout | undefined;
    taskCtx?.signal.addEventListener(
      'abort',
      () => {
        handle.stop();
        killTimer = setTimeout(() => handle.kill(), STOP_GRACE_MS);
      },
      { once: true },
    );
    try {
      const end = await handle.done;
      taskCtx?.throwIfCancelled();
      if (end.type === 'failed') throw new StudioError('internal', end.error);
      return end;
    } finally {
      clearTimeout(killTimer);
      this.jobs.delete(handle);
    }
  }

  private catalog(project: string): Catalog {
    return getProjectCatalogs(this.ctx).get(project);
  }
}

/** One suggestion service per studio, shared by its handlers. */
export const suggestionServiceFor = perStudio((ctx) => new SuggestionService(ctx));
