// Typed application errors with stable codes. An error carries a message code and its parameters,
// never a sentence: the error handler renders the title (and each issue's message) in the request's
// language from the registry in common/messages.
import { msg, type Message, type MessageCode, type ParamArgs } from '../../common/messages/index.js';

/** A field issue as thrown: its message is rendered by the error mapper. */
export interface ProblemIssue {
  path: string;
  message: Message;
  code: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    /** The problem's stable code, answered as `code`: registered, so that it has both texts. */
    readonly code: MessageCode,
    /** What the title says, rendered per request. */
    readonly title: Message,
    readonly extra: { issues?: ProblemIssue[]; [k: string]: unknown } = {},
  ) {
    // The English text only for logs and stack traces.
    super(title.code);
    this.name = 'AppError';
  }
}

type Subject<P extends string> = MessageCode extends infer C
  ? C extends `${P}.${infer S}`
    ? S
    : never
  : never;
/** What a 404 names: `notFound('node')` says 节点不存在 / Node not found. */
export type NotFoundSubject = Exclude<Subject<'not_found'>, 'open311'>;
/** Why a 403 is answered, when the generic text is not enough. */
export type ForbiddenReason = Subject<'forbidden'>;

export const badRequest = <C extends MessageCode>(
  code: C,
  ...[params, issues]: ParamArgs<C, [issues?: ProblemIssue[]]>
) => new AppError(400, code, msg(code, ...([params] as ParamArgs<C>)), issues ? { issues } : {});
export const validationFailed = (issues: ProblemIssue[]) =>
  new AppError(400, 'validation_failed', msg('validation_failed'), { issues });
export const unauthorized = (
  code:
    | 'auth.required'
    | 'auth.invalid_credentials'
    | 'auth.invalid_api_key'
    | 'auth.totp_required'
    | 'auth.totp_invalid' = 'auth.required',
) => new AppError(401, code, msg(code));
export const forbidden = (reason?: ForbiddenReason, params?: Record<string, string | number>) =>
  new AppError(
    403,
    'forbidden',
    reason ? { code: `forbidden.${reason}`, ...(params ? { params } : {}) } : msg('forbidden'),
  );
export const notFound = (what: NotFoundSubject) =>
  new AppError(404, 'not_found', { code: `not_found.${what}` });
export const conflict = <C extends MessageCode>(
  code: C,
  ...[params, extra]: ParamArgs<C, [extra?: Record<string, unknown>]>
) => new AppError(409, code, msg(code, ...([params] as ParamArgs<C>)), extra ?? {});
/** Any other status with a registered code (429, 403 with its own code…). */
export const appError = <C extends MessageCode>(
  status: number,
  code: C,
  ...[params, extra]: ParamArgs<C, [extra?: Record<string, unknown>]>
) => new AppError(status, code, msg(code, ...([params] as ParamArgs<C>)), extra ?? {});
