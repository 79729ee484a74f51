// Undo / redo over immutable snapshots of one image's labels. A drag previews many
// intermediate states but records one step: `preview` moves the present without
// recording, `commit` records the step from where the preview started.
export class History<T> {
  private past: T[] = [];
  private future: T[] = [];
  private previewBase: T | null = null;

  constructor(
    private current: T,
    private readonly limit = 500,
  ) {}

  get present(): T {
    return this.current;
  }

  get canUndo(): boolean {
    return this.past.length > 0 || this.previewBase !== null;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  /** One recorded edit. */
  push(next: T): void {
    this.preview(next);
    this.commit();
  }

  /** Shows `next` without recording a step yet (e.g. while a joint is dragged). */
  preview(next: T): void {
    if (this.previewBase === null) this.previewBase = this.current;
    this.current = next;
  }

  /** Records the previewed change as one step; a preview that changed nothing records none. */
  commit(): void {
    const base = this.previewBase;
    this.previewBase = null;
    if (base === null || base === this.current) return;
    this.past.push(base);
    if (this.past.length > this.limit) this.past.shift();
    this.future = [];
  }

  undo(): T {
    this.commit();
    const previous = this.past.pop();
    if (previous === undefined) return this.current;
    this.future.push(this.current);
    this.current = previous;
    return previous;
  }

  redo(): T {
    this.commit();
    const next = this.future.pop();
    if (next === undefined) return this.current;
    this.past.push(this.current);
    this.current = next;
    return next;
  }
}
