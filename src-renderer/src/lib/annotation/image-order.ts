// Every image id of a project in catalog order, for next / previous image in the workspace.
import { api } from '../api/api';

const PAGE = 5000;
const cache = new Map<string, Promise<number[]>>();

async function load(project: string): Promise<number[]> {
  const ids: number[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await api.call('images.list', { project, offset, limit: PAGE });
    ids.push(...page.items.map((item) => item.id));
    if (page.items.length === 0 || ids.length >= page.total) return ids;
  }
}

export function imageOrder(project: string): Promise<number[]> {
  let order = cache.get(project);
  if (!order) {
    order = load(project);
    order.catch(() => cache.delete(project));
    cache.set(project, order);
  }
  return order;
}

/** Imports change the order; the next lookup reloads it. */
export function forgetImageOrder(project: string): void {
  cache.delete(project);
}
