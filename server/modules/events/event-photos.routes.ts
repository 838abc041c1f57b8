import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { photoParams, photoUploadResponse } from '../../../common/contracts/events.js';
import { LIMITS } from '../../../common/limits.js';
import { readUpload } from '../../platform/uploads.js';
import type { EventsService } from './events.service.js';

export function eventPhotoRoutes(
  app: FastifyInstance,
  events: EventsService,
  opts: { publicRateLimit: number },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['events'];
  r.post(
    '/api/event-photos',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary:
          'Upload a photo (multipart: file) for a report or a step; answers the token that attaches it',
        response: { 201: photoUploadResponse },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await events.uploadPhoto(
            req.ctx,
            (await readUpload(req, [], { fileSize: LIMITS.photoBytes })).file.data,
          ),
        ),
  );
  r.post(
    '/api/public/event-photos',
    {
      config: { access: 'public', rateLimit: { max: opts.publicRateLimit, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: "A photo for the resident's report (multipart: file); answers the token the report sends",
        response: { 201: photoUploadResponse },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await events.uploadPhoto(
            req.ctx,
            (await readUpload(req, [], { fileSize: LIMITS.photoBytes })).file.data,
            true,
          ),
        ),
  );
  r.get(
    '/api/events/:id/photos/:photoId',
    {
      config: { access: 'authenticated' },
      schema: { tags, summary: 'A photo of an event you can see', params: photoParams },
    },
    async (req, reply) => {
      const p = await events.photo(req.ctx, req.params.id, req.params.photoId);
      // Photos never change: the browser may keep them, but only for this user.
      if (req.headers['if-none-match'] === `"${p.sha256}"`)
        return reply.status(304).header('etag', `"${p.sha256}"`).send();
      return reply
        .type(p.mime)
        .header('cache-control', 'private, max-age=86400, immutable')
        .header('etag', `"${p.sha256}"`)
        .send(p.data);
    },
  );
}
