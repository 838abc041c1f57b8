// Open311 GeoReport v2 at /open311/v2/ (docs/open311.md), and the administrator's Open311 keys under /api.
// The GeoReport routes live in a plugin of their own: form-encoded bodies only, and errors and misses
// in the spec's format (a list of code and description, as JSON or XML) instead of problem+json.
import formbody from '@fastify/formbody';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createdOpen311Key,
  createOpen311KeyBody,
  open311KeyInfo,
} from '../../../common/contracts/open311.js';
import { idParam, okResponse } from '../../../common/contracts/shared.js';
import { msg } from '../../../common/messages/index.js';
import { AppError, notFound } from '../../platform/errors.js';
import { render, requestLang } from '../../platform/lang.js';
import type { Open311Service, Params } from './open311.service.js';
import { CONTENT_TYPES, renderOpen311, type Open311Format } from './open311.xml.js';

export const OPEN311_PREFIX = '/open311/v2';
const tags = ['open311'];

/** The format a URL asks for by its suffix; XML (the spec's required format) when it names none. */
function formatOfUrl(url: string): Open311Format {
  return (url.split('?')[0] ?? '').endsWith('.json') ? 'json' : 'xml';
}
/** `name.json` or `name.xml`: the name and the format; anything else is a resource that does not exist. */
function splitFile(file: string): { name: string; format: Open311Format } {
  const m = /^(.+)\.(json|xml)$/.exec(file);
  if (!m) throw notFound('format');
  return { name: m[1]!, format: m[2] as Open311Format };
}
function formatParam(format: string): Open311Format {
  if (format !== 'json' && format !== 'xml') throw notFound('format');
  return format;
}

/** Exactly `application/json` or `text/xml`: a Buffer keeps Fastify from adding a charset, which some clients refuse. */
function send(reply: FastifyReply, format: Open311Format, root: string, value: unknown) {
  return reply.header('content-type', CONTENT_TYPES[format]).send(renderOpen311(format, root, value));
}

async function georeport(api: FastifyInstance, svc: Open311Service, opts: { publicRateLimit: number }) {
  // Form-encoded bodies here only (the spec's POST); the rest of the API stays JSON.
  api.removeAllContentTypeParsers();
  await api.register(formbody);

  api.setErrorHandler((error: FastifyError, req, reply) => {
    const lang = requestLang(req);
    let status = 500;
    let errors = [{ code: 500, description: `${render(msg('internal'), lang)} (${req.id})` }];
    if (error instanceof AppError) {
      status = error.status;
      const issues = error.extra.issues ?? [];
      errors =
        issues.length > 0
          ? issues.map((i) => ({
              code: status,
              description: `${i.path.replace(/^(body|querystring|params)\./, '')}: ${render(i.message, lang)}`,
            }))
          : [{ code: status, description: render(error.title, lang) }];
    } else if (error.statusCode === 429) {
      status = 429;
      errors = [{ code: 429, description: render(msg('rate_limited'), lang) }];
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      status = error.statusCode;
      errors = [{ code: status, description: render(msg('request.bad_request'), lang) }];
    }
    if (status >= 500) req.log.error({ err: error }, 'open311 error');
    return send(reply.status(status), formatOfUrl(req.url), 'errors', errors);
  });
  api.setNotFoundHandler((req, reply) =>
    send(reply.status(404), formatOfUrl(req.url), 'errors', [
      { code: 404, description: render(msg('not_found.route'), requestLang(req)) },
    ]),
  );

  const access = 'public' as const;
  const listLimit = { max: opts.publicRateLimit * 3, timeWindow: '1 minute' };
  api.get<{ Params: { format: string } }>(
    '/discovery.:format',
    {
      config: { access },
      schema: { tags, summary: 'Service discovery: the endpoint, its formats and how to get a key' },
    },
    async (req, reply) => {
      const format = formatParam(req.params.format);
      return send(
        reply,
        format,
        'discovery',
        await svc.discovery(`${req.protocol}://${req.host}${OPEN311_PREFIX}`, requestLang(req)),
      );
    },
  );
  api.get<{ Params: { format: string } }>(
    '/services.:format',
    { config: { access }, schema: { tags, summary: 'Service list: one service per public sub-category' } },
    async (req, reply) => send(reply, formatParam(req.params.format), 'services', await svc.services()),
  );
  api.get<{ Params: { file: string } }>(
    '/services/:file',
    {
      config: { access },
      schema: { tags, summary: 'Service definition: the attributes (extra fields) of a service' },
    },
    async (req, reply) => {
      const { name, format } = splitFile(req.params.file);
      return send(reply, format, 'service_definition', await svc.serviceDefinition(name, requestLang(req)));
    },
  );
  api.post<{ Params: { format: string } }>(
    '/requests.:format',
    {
      config: { access, rateLimit: { max: opts.publicRateLimit, timeWindow: '1 minute' } },
      schema: { tags, summary: 'Post a service request (form-encoded, with api_key)' },
    },
    async (req, reply) => {
      const format = formatParam(req.params.format);
      return send(
        reply,
        format,
        'service_requests',
        await svc.createRequest(req.ctx, (req.body ?? {}) as Params),
      );
    },
  );
  api.get<{ Params: { file: string } }>(
    '/tokens/:file',
    { config: { access }, schema: { tags, summary: 'The service_request_id of a token' } },
    async (req, reply) => {
      const { name, format } = splitFile(req.params.file);
      return send(reply, format, 'service_requests', await svc.token(name));
    },
  );
  api.get<{ Params: { format: string } }>(
    '/requests.:format',
    {
      config: { access, rateLimit: listLimit },
      schema: {
        tags,
        summary: 'Service requests: by ids, or by service, status and at most 90 days; 1,000 at most',
      },
    },
    async (req, reply) => {
      const format = formatParam(req.params.format);
      return send(reply, format, 'service_requests', await svc.requests(req.query as Params));
    },
  );
  api.get<{ Params: { file: string } }>(
    '/requests/:file',
    { config: { access }, schema: { tags, summary: 'One service request, as a list of one' } },
    async (req, reply) => {
      const { name, format } = splitFile(req.params.file);
      return send(reply, format, 'service_requests', await svc.request(name));
    },
  );
}

export async function open311Routes(
  app: FastifyInstance,
  svc: Open311Service,
  opts: { publicRateLimit: number },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // Keys: district-wide, so the service also requires the permission at the tree root.
  r.get(
    '/api/open311-keys',
    {
      config: { access: 'events.configure' },
      schema: {
        tags,
        summary: 'Open311 keys (the keys themselves are never shown again)',
        response: { 200: z.object({ items: z.array(open311KeyInfo) }) },
      },
    },
    async (req) => ({
      items: await svc.listKeys(req.ctx),
    }),
  );
  r.post(
    '/api/open311-keys',
    {
      config: { access: 'events.configure' },
      schema: {
        tags,
        summary: 'Issue an Open311 key for another system; shown once',
        body: createOpen311KeyBody,
        response: { 201: createdOpen311Key },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createKey(req.ctx, req.body.name)),
  );
  r.delete(
    '/api/open311-keys/:id',
    {
      config: { access: 'events.configure' },
      schema: { tags, summary: 'Revoke an Open311 key', params: idParam, response: { 200: okResponse } },
    },
    async (req) => {
      await svc.revokeKey(req.ctx, req.params.id);
      return { ok: true as const };
    },
  );

  await app.register(async (api) => georeport(api, svc, opts), { prefix: OPEN311_PREFIX });
}
