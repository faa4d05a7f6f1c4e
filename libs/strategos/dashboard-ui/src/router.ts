import { useEffect, useState } from 'preact/hooks';

/** A page of the dashboard, from the URL's hash (`#/runs`, `#/runs/<id>`, `#/dead-letters`, `#/stats`). */
export type Route =
  | { readonly page: 'runs'; readonly query: URLSearchParams }
  | { readonly page: 'run'; readonly workflowId: string }
  | { readonly page: 'dead-letters' }
  | { readonly page: 'stats' };

export function parseRoute(hash: string): Route {
  const [path, search = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter((part) => part !== '');
  if (parts[0] === 'runs' && parts[1]) return { page: 'run', workflowId: decodeURIComponent(parts.slice(1).join('/')) };
  if (parts[0] === 'dead-letters') return { page: 'dead-letters' };
  if (parts[0] === 'stats') return { page: 'stats' };
  return { page: 'runs', query: new URLSearchParams(search) };
}

export function runHref(workflowId: string): string {
  return `#/runs/${encodeURIComponent(workflowId)}`;
}

/** The current route, following hash changes. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}
