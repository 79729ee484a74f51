// The browser door's token arrives in the address (`?token=`); the first answer turns it into
// an HttpOnly cookie, so the page removes it from the address bar and history at once: a
// copied link, a screenshot or the history list then no longer hands out the key.

/** The same address without its `token` parameter, or null when it has none. */
export function addressWithoutToken(href: string): string | null {
  const url = new URL(href);
  if (!url.searchParams.has('token')) return null;
  url.searchParams.delete('token');
  return `${url.pathname}${url.search}${url.hash}`;
}

export function forgetTokenInAddress(location: Location, history: History): void {
  const clean = addressWithoutToken(location.href);
  if (clean !== null) history.replaceState(history.state, '', clean);
}
