// The one HTTP client of the web app. Same-origin, cookies, JSON in and out; problem+json errors
// (RFC 9457) become ApiError with field errors keyed by the issue path ("assignments.0.roleId").

export interface ProblemIssue {
  path: string;
  message: string;
  code: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  requestId?: string;
  issues?: ProblemIssue[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly requestId: string | undefined;
  readonly issues: ProblemIssue[];
  /** Issue path, without the `body.`/`querystring.`/`params.` prefix → first message for it. */
  readonly fieldErrors: Record<string, string>;
  /** The whole problem body, with any extension members. */
  readonly problem: Problem & Record<string, unknown>;

  constructor(status: number, problem: Problem & Record<string, unknown>) {
    const title = problem.title ?? `HTTP ${status}`;
    super(problem.detail ? `${title}: ${problem.detail}` : title);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code ?? `http.${status}`;
    this.title = title;
    this.detail = problem.detail;
    this.requestId = problem.requestId;
    this.issues = Array.isArray(problem.issues) ? problem.issues : [];
    const fieldErrors: Record<string, string> = {};
    for (const issue of this.issues) {
      const key = fieldPath(issue.path);
      if (!(key in fieldErrors)) fieldErrors[key] = issue.message;
    }
    this.fieldErrors = fieldErrors;
    this.problem = problem;
  }
}

/** `body.assignments.0.roleId` → `assignments.0.roleId`: the name a form field has. */
export function fieldPath(path: unknown): string {
  return typeof path === 'string' ? path.replace(/^(body|querystring|params|query)(\.|$)/, '') : '';
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export type QueryScalar = string | number | boolean | null | undefined;
/** An array repeats the parameter: `{ tag: ['a', 'b'] }` → `tag=a&tag=b`. */
export type QueryValue = QueryScalar | readonly QueryScalar[];

/** Builds `/path?a=1&b=x`, leaving out empty values. */
export function withQuery(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    const values: readonly QueryScalar[] = Array.isArray(v)
      ? (v as readonly QueryScalar[])
      : [v as QueryScalar];
    for (const one of values) {
      if (one === undefined || one === null || one === '') continue;
      params.append(k, String(one));
    }
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  /** Extra request headers (an `Idempotency-Key`); the client's own (accept, CSRF) are set after. */
  headers?: Record<string, string>;
}

/** Sends a request; a non-2xx answer becomes an ApiError (problem+json parsed when present). */
async function send(method: string, path: string, opts: RequestOptions, accept: string): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers, accept };
  // The server writes every text for people in the language asked: the UI's (kept on <html lang>).
  if (typeof document !== 'undefined' && document.documentElement.lang)
    headers['accept-language'] = document.documentElement.lang;
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) {
    body = opts.body;
  } else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  const upper = method.toUpperCase();
  if (UNSAFE.has(upper)) {
    const csrf = readCookie('csrf');
    if (csrf) headers['x-csrf-token'] = csrf;
  }
  let res: Response;
  try {
    res = await fetch(withQuery(path, opts.query), {
      method: upper,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, {
      title: 'Network error',
      code: 'network',
      detail: e instanceof Error ? e.message : String(e),
    });
  }
  if (!res.ok) {
    let problem: Problem & Record<string, unknown> = {
      title: res.statusText || `HTTP ${res.status}`,
      status: res.status,
    };
    if ((res.headers.get('content-type') ?? '').includes('json')) {
      try {
        problem = { ...problem, ...((await res.json()) as Problem & Record<string, unknown>) };
      } catch {
        // keep the status line
      }
    }
    throw new ApiError(res.status, problem);
  }
  return res;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await send(method, path, opts, 'application/json, application/problem+json');
  const isJson = (res.headers.get('content-type') ?? '').includes('json');
  if (res.status === 204 || !isJson) return undefined as T;
  return (await res.json()) as T;
}

/** A file answer (an export): the body as a Blob, errors as ApiError like any other call. */
export async function requestBlob(method: string, path: string, opts: RequestOptions = {}): Promise<Blob> {
  const res = await send(method, path, opts, '*/*');
  return res.blob();
}

/** Hands a Blob to the browser as a download named `filename`. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the browser a moment to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal) =>
    request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
  /** POST a JSON body, receive a file. */
  postForBlob: (path: string, body?: unknown) => requestBlob('POST', path, { body }),
};
