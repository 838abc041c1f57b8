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

export type QueryValue = string | number | boolean | null | undefined;

/** Builds `/path?a=1&b=x`, leaving out empty values. */
export function withQuery(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
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
  const type = res.headers.get('content-type') ?? '';
  const isJson = type.includes('json');
  if (!res.ok) {
    let problem: Problem & Record<string, unknown> = {
      title: res.statusText || `HTTP ${res.status}`,
      status: res.status,
    };
    if (isJson) {
      try {
        problem = { ...problem, ...((await res.json()) as Problem & Record<string, unknown>) };
      } catch {
        // keep the status line
      }
    }
    throw new ApiError(res.status, problem);
  }
  if (res.status === 204 || !isJson) return undefined as T;
  return (await res.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal) =>
    request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};
