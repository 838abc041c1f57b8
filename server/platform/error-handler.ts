// The one error mapper: every failure leaves as RFC 9457 application/problem+json.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isMessageCode, msg, type Message, type MessageCode } from '../../common/messages/index.js';
import { AppError } from './errors.js';
import { render, requestLang, type Lang } from './lang.js';

/** An issue as answered: its message in the request's language. */
interface RenderedIssue {
  path: string;
  message: string;
  code: string;
}

interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  requestId: string;
  issues?: RenderedIssue[];
  [k: string]: unknown;
}

type ProblemInput = {
  status: number;
  code: string;
  title: string;
  detail?: string;
  issues?: RenderedIssue[];
} & Record<string, unknown>;

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  p: ProblemInput,
  /** False for a path the router could not read: it is not echoed back, not even as the instance. */
  echoPath = true,
) {
  const body: Problem = {
    ...p,
    type: `urn:linli:problem:${p.code}`,
    ...(echoPath ? { instance: request.url.split('?')[0] ?? '/' } : {}),
    requestId: request.id,
  };
  return reply.status(p.status).type('application/problem+json').send(body);
}

/**
 * Fastify's `frameworkErrors`: paths the router refuses before any route runs (bad percent-encoding,
 * a parameter over `maxParamLength`). Fastify's own answer is application/json echoing the path.
 */
export function frameworkErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  // No route context here, so the onSend hook that stamps the request id does not run.
  reply.header('x-request-id', request.id);
  const problem =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? { status: 414, code: 'request.param_too_long', title: 'A part of the address is too long' }
      : error.code === 'FST_ERR_BAD_URL'
        ? { status: 400, code: 'request.bad_url', title: 'The address is not valid' }
        : { status: 400, code: 'request.bad_request', title: 'The request is not valid' };
  void sendProblem(request, reply, problem, false);
}

/** Fastify's own client errors (bad JSON, body too large, wrong content type) keep their 4xx status. */
const FASTIFY_CLIENT_CODES: Record<string, MessageCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'request.invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'request.empty_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'request.too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'request.unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'request.invalid_content_length',
  FST_ERR_CTP_INVALID_TYPE: 'request.invalid_content_type',
  FST_ERR_CTP_EMPTY_TYPE: 'request.invalid_content_type',
  FST_ERR_BAD_URL: 'request.bad_url',
  FST_ERR_ASYNC_CONSTRAINT: 'request.bad_request',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'request.not_multipart',
  FST_REQ_FILE_TOO_LARGE: 'request.too_large',
  FST_PARTS_LIMIT: 'request.too_large',
  FST_FILES_LIMIT: 'request.too_large',
  FST_FIELDS_LIMIT: 'request.too_large',
};

const TYPE_NAMES: Record<string, MessageCode> = {
  string: 'type.string',
  number: 'type.number',
  int: 'type.int',
  boolean: 'type.boolean',
  array: 'type.array',
  object: 'type.object',
  date: 'type.date',
};
const SIZED = new Set(['string', 'number', 'array']);
const FORMATS = new Set(['datetime', 'date', 'email', 'url']);

/**
 * zod's issue in the request's language, from the issue's kind and parameters (zod's own message is
 * English). A contract's custom message is a registered code, with its parameters in `params`.
 */
export function zodIssueMessage(
  kind: string,
  p: Record<string, unknown>,
  fallback: string | undefined,
): Message {
  const custom = typeof fallback === 'string' && isMessageCode(fallback) ? fallback : null;
  const origin = typeof p.origin === 'string' && SIZED.has(p.origin) ? p.origin : null;
  switch (kind) {
    case 'custom':
      return custom
        ? { code: custom, params: (p.params ?? undefined) as Message['params'] }
        : msg('zod.invalid');
    case 'invalid_type':
      if (p.input === undefined && String(fallback ?? '').includes('received undefined'))
        return msg('zod.required');
      return msg('zod.invalid_type', {
        expected: TYPE_NAMES[String(p.expected)] ?? 'type.value',
      });
    case 'too_small':
      if (origin === 'string') return msg('zod.too_small.string', { minimum: String(p.minimum) });
      if (origin === 'array') return msg('zod.too_small.array', { minimum: String(p.minimum) });
      return msg('zod.too_small.number', { minimum: String(p.minimum) });
    case 'too_big':
      if (origin === 'string') return msg('zod.too_big.string', { maximum: String(p.maximum) });
      if (origin === 'array') return msg('zod.too_big.array', { maximum: String(p.maximum) });
      return msg('zod.too_big.number', { maximum: String(p.maximum) });
    case 'invalid_format':
      return typeof p.format === 'string' && FORMATS.has(p.format)
        ? { code: `zod.invalid_format.${p.format}` as MessageCode }
        : msg('zod.invalid_format');
    case 'invalid_value':
      return msg('zod.invalid_value', {
        values: Array.isArray(p.values) ? p.values.map(String).join(', ') : '',
      });
    case 'not_multiple_of':
      return msg('zod.not_multiple_of', { divisor: String(p.divisor) });
    case 'invalid_union':
      return msg('zod.invalid_union');
    case 'invalid_key':
      return msg('zod.invalid_key');
    case 'invalid_element':
      return msg('zod.invalid_element');
    default:
      return custom ? { code: custom } : msg('zod.invalid');
  }
}

export function registerErrorHandler(app: FastifyInstance, opts: { spaFallback: boolean }): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const lang: Lang = requestLang(request);
    const title = (code: MessageCode) => render({ code }, lang);
    if (error instanceof AppError) {
      const { issues, ...extra } = error.extra;
      if (error.status >= 500) request.log.error({ err: error }, 'server error');
      return sendProblem(request, reply, {
        status: error.status,
        code: error.code,
        title: render(error.title, lang),
        ...extra,
        ...(issues
          ? { issues: issues.map((i) => ({ path: i.path, code: i.code, message: render(i.message, lang) })) }
          : {}),
      });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'body';
      const issues = error.validation.flatMap((v) => {
        const at = `${where}${v.instancePath === '/' ? '' : v.instancePath.replaceAll('/', '.')}`;
        // One issue per unknown field, each with its own path, so forms can point at it.
        const keys = (v.params as { keys?: unknown }).keys;
        if (v.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
          return keys.map((k) => ({
            path: `${at}.${String(k)}`,
            message: render(msg('zod.unrecognized_keys', { field: String(k) }), lang),
            code: v.keyword,
          }));
        }
        const m = zodIssueMessage(v.keyword, v.params, v.message);
        return [{ path: at, message: render(m, lang), code: v.keyword }];
      });
      return sendProblem(request, reply, {
        status: 400,
        code: 'validation_failed',
        title: title('validation_failed'),
        issues,
      });
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, cause: error.cause }, 'response did not match its schema');
    } else if (error.statusCode === 429) {
      return sendProblem(request, reply, {
        status: 429,
        code: 'rate_limited',
        title: title('rate_limited'),
      });
    } else if (error.code && FASTIFY_CLIENT_CODES[error.code] && (error.statusCode ?? 500) < 500) {
      const code = FASTIFY_CLIENT_CODES[error.code] ?? 'request.bad_request';
      return sendProblem(request, reply, { status: error.statusCode ?? 400, code, title: title(code) });
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(request, reply, {
        status: error.statusCode,
        code: 'request.bad_request',
        title: title('request.bad_request'),
      });
    } else {
      request.log.error({ err: error }, 'unhandled error');
    }
    return sendProblem(request, reply, {
      status: 500,
      code: 'internal',
      title: title('internal'),
    });
  });

  app.setNotFoundHandler((request, reply) => {
    // The web app's own routes (/tree/12, /users…) load its index page; API misses are problems.
    if (opts.spaFallback && request.method === 'GET' && !request.url.startsWith('/api')) {
      return reply.type('text/html').sendFile('index.html');
    }
    return sendProblem(request, reply, {
      status: 404,
      code: 'not_found',
      // The path is the caller's input: the title names no part of it.
      title: render(msg('not_found.route'), requestLang(request)),
    });
  });
}
