// The one error mapper: every failure leaves as RFC 9457 application/problem+json.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, type ProblemIssue } from './errors.js';

interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  requestId: string;
  issues?: ProblemIssue[];
  [k: string]: unknown;
}

type ProblemInput = {
  status: number;
  code: string;
  title: string;
  detail?: string;
  issues?: ProblemIssue[];
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
const FASTIFY_CLIENT_CODES: Record<string, string> = {
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

export function registerErrorHandler(app: FastifyInstance, opts: { spaFallback: boolean }): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      const { issues, ...extra } = error.extra;
      if (error.status >= 500) request.log.error({ err: error }, 'server error');
      return sendProblem(request, reply, {
        status: error.status,
        code: error.code,
        title: error.message,
        ...extra,
        ...(issues ? { issues } : {}),
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
            message: `unknown field ${String(k)}`,
            code: v.keyword,
          }));
        }
        return [{ path: at, message: v.message ?? 'invalid', code: v.keyword }];
      });
      return sendProblem(request, reply, {
        status: 400,
        code: 'validation_failed',
        title: 'The request is not valid',
        issues,
      });
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, cause: error.cause }, 'response did not match its schema');
    } else if (error.statusCode === 429) {
      return sendProblem(request, reply, {
        status: 429,
        code: 'rate_limited',
        title: 'Too many requests, try again later',
      });
    } else if (error.code && FASTIFY_CLIENT_CODES[error.code] && (error.statusCode ?? 500) < 500) {
      return sendProblem(request, reply, {
        status: error.statusCode ?? 400,
        code: FASTIFY_CLIENT_CODES[error.code] ?? 'request.bad_request',
        title: error.message,
      });
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(request, reply, {
        status: error.statusCode,
        code: 'request.bad_request',
        title: error.message,
      });
    } else {
      request.log.error({ err: error }, 'unhandled error');
    }
    return sendProblem(request, reply, {
      status: 500,
      code: 'internal',
      title: 'Something went wrong on our side; quote the request id when reporting it',
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
      title: 'No such address',
    });
  });
}
