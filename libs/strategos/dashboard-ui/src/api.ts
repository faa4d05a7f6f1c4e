import type { Meta } from './types';

/** The dashboard's base URL (the page is served at `<path>/`). */
export const BASE = location.pathname.endsWith('/') ? location.pathname : `${location.pathname}/`;
const API = `${BASE}api/`;

/** An error answer of the API, with its code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function parse<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string | string[] };
  if (!response.ok) {
    const message = Array.isArray(body.message) ? body.message.join('; ') : (body.message ?? response.statusText);
    throw new ApiError(response.status, body.code ?? String(response.status), message);
  }
  return body as T;
}

/** GET `api/<path>` with the given query (empty values left out). */
export async function get<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
  const params = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => !!entry[1]));
  const search = params.toString();
  return parse<T>(await fetch(`${API}${path}${search ? `?${search}` : ''}`, { headers: { accept: 'application/json' } }));
}

/** POST an action with the CSRF token of `meta` (double submit). */
export async function post<T>(path: string, body: unknown, meta: Meta): Promise<T> {
  return parse<T>(
    await fetch(`${API}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', [meta.csrfHeader]: meta.csrfToken },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    }),
  );
}

/** The live stream of batched run changes. */
export function liveSource(): EventSource {
  return new EventSource(`${API}live`);
}
