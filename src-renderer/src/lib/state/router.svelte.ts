// Hash routes, so a reload (or a second browser tab) lands on the same view.
//   #/                          projects
//   #/p/<project>/images        image browser
//   #/p/<project>/label/<id>    annotation workspace for one image
//   #/p/<project>/train         training dashboard
//   #/p/<project>/predict       predictions
export type Route =
  | { view: 'projects' }
  | { view: 'images'; project: string }
  | { view: 'label'; project: string; imageId: number }
  | { view: 'train'; project: string }
  | { view: 'predict'; project: string };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'p' && parts[1]) {
    const project = parts[1];
    if (parts[2] === 'label' && parts[3] && Number.isInteger(Number(parts[3])))
      return { view: 'label', project, imageId: Number(parts[3]) };
    if (parts[2] === 'train') return { view: 'train', project };
    if (parts[2] === 'predict') return { view: 'predict', project };
    return { view: 'images', project };
  }
  return { view: 'projects' };
}

export function routeHash(route: Route): string {
  if (route.view === 'projects') return '#/';
  const base = `#/p/${encodeURIComponent(route.project)}`;
  if (route.view === 'label') return `${base}/label/${route.imageId}`;
  return `${base}/${route.view}`;
}

class Router {
  current = $state<Route>(parseRoute(window.location.hash));

  constructor() {
    window.addEventListener('hashchange', () => {
      this.current = parseRoute(window.location.hash);
    });
  }

  go(route: Route): void {
    window.location.hash = routeHash(route);
  }
}

export const router = new Router();
