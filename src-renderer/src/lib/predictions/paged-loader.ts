// Loads a whole prediction set page by page, handing over what has arrived after each page
// so the grid fills while the rest loads; a newer load makes an older one stop.
export interface Page<T> {
  total: number;
  items: T[];
}

export type FetchPage<T> = (offset: number, limit: number) => Promise<Page<T>>;

export class PagedLoader<T> {
  private generation = 0;

  constructor(private readonly pageSize: number) {}

  /** Resolves true when every page arrived, false when a newer load superseded this one. */
  async load(fetchPage: FetchPage<T>, onProgress: (items: T[], total: number) => void): Promise<boolean> {
    const mine = ++this.generation;
    const items: T[] = [];
    for (;;) {
      const page = await fetchPage(items.length, this.pageSize);
      if (mine !== this.generation) return false;
      items.push(...page.items);
      const done = page.items.length === 0 || items.length >= page.total;
      onProgress(items.slice(), done ? items.length : page.total);
      if (done) return true;
    }
  }

  /** Makes any load in flight stop at its next page. */
  cancel(): void {
    this.generation++;
  }
}
