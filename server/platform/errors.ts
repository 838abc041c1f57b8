// Typed application errors with stable codes. The error handler turns them into problem+json.
export interface ProblemIssue {
  path: string;
  message: string;
  code: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { issues?: ProblemIssue[]; [k: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, issues?: ProblemIssue[]) =>
  new AppError(400, code, message, issues ? { issues } : {});
export const validationFailed = (issues: ProblemIssue[]) =>
  new AppError(400, 'validation_failed', 'The request is not valid', { issues });
export const unauthorized = (code = 'auth.required', message = 'Sign in first') =>
  new AppError(401, code, message);
export const forbidden = (message = 'Outside your jurisdiction or role') =>
  new AppError(403, 'forbidden', message);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const conflict = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  new AppError(409, code, message, extra);
export const locked = (until: string) =>
  new AppError(423, 'auth.locked', 'Account temporarily locked after repeated failed logins', {
    lockedUntil: until,
  });
