import type { StudioContext } from './studio-context';

/** A lazily made service that every handler and command of one studio shares. */
export function perStudio<T>(create: (ctx: StudioContext) => T): (ctx: StudioContext) => T {
  const made = new WeakMap<StudioContext, T>();
  return (ctx) => {
    let service = made.get(ctx);
    if (service === undefined) {
      service = create(ctx);
      made.set(ctx, service);
    }
    return service;
  };
}
