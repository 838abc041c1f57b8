// Text with a NUL character is refused at the edge for every route: PostgreSQL cannot store it, and
// no person types one. One hook, before validation, rather than a rule on every string field.
import { msg } from '../../common/messages/index.js';
import type { FastifyInstance } from 'fastify';
import { badRequest, validationFailed, type ProblemIssue } from './errors.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON bodies must be valid UTF-8: Node's decoder would quietly turn a bad byte into U+FFFD and store
 * it. Fastify's own parser runs on the decoded text, so the body limit, the empty-body and the
 * invalid-JSON answers and the prototype-poisoning refusal stay as they were.
 */
export function strictJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    let text: string;
    try {
      text = strictUtf8.decode(body as Buffer);
    } catch {
      done(badRequest('request.invalid_utf8'), undefined);
      return;
    }
    void parseJson(req, text, done);
  });
}

function findNul(value: unknown, path: string, out: ProblemIssue[], depth = 0): void {
  if (out.length >= 20 || depth > 64) return;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) out.push({ path, message: msg('issue.nul'), code: 'invalid_characters' });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => findNul(v, `${path}.${i}`, out, depth + 1));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000'))
        out.push({ path, message: msg('issue.field_name_nul'), code: 'invalid_characters' });
      findNul(v, `${path}.${k}`, out, depth + 1);
    }
  }
}

/** Whether any string or key holds a NUL: the common answer, no, without building a path per value. */
function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 64 || !value || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => hasNul(v, depth + 1));
  for (const k in value)
    if (k.includes('\u0000') || hasNul((value as Record<string, unknown>)[k], depth + 1)) return true;
  return false;
}

export function rejectNulCharacters(app: FastifyInstance): void {
  app.addHook('preValidation', (req, _reply, done) => {
    if (!hasNul(req.params) && !hasNul(req.query) && !hasNul(req.body)) return done();
    const issues: ProblemIssue[] = [];
    findNul(req.params, 'params', issues);
    findNul(req.query, 'querystring', issues);
    findNul(req.body, 'body', issues);
    done(issues.length > 0 ? validationFailed(issues) : undefined);
  });
}
