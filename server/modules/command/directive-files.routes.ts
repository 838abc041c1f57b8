import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { directiveFileParams, directiveFileUploadResponse } from '../../../common/contracts/command.js';
import { LIMITS } from '../../../common/limits.js';
import { attachmentDisposition, readUpload } from '../../platform/uploads.js';
import type { DirectiveFilesService } from './directive-files.js';

export function directiveFileRoutes(app: FastifyInstance, files: DirectiveFilesService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['command'];
  r.post(
    '/api/directive-files',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary:
          'Upload an attachment (multipart: file) for a directive, relay or report-back; answers the token that attaches it',
        response: { 201: directiveFileUploadResponse },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await files.upload(
            req.ctx,
            (await readUpload(req, [], { fileSize: LIMITS.directiveFileBytes })).file,
          ),
        ),
  );
  r.get(
    '/api/directives/:id/files/:fileId',
    {
      config: { access: 'command.read' },
      schema: {
        tags,
        summary: 'An attachment of a directive (or of its lineage) or of a report-back you can see',
        params: directiveFileParams,
      },
    },
    async (req, reply) => {
      const f = await files.download(req.ctx, req.params.id, req.params.fileId);
      const etag = `"${f.sha256}"`;
      // Attachments never change: the browser may keep them, but only for this user.
      reply
        .header('etag', etag)
        .header('cache-control', 'private, max-age=86400, immutable')
        .header('x-content-type-options', 'nosniff');
      if (req.headers['if-none-match'] === etag) return reply.status(304).send();
      return reply
        .type(f.mime === 'text/plain' ? 'text/plain; charset=utf-8' : f.mime)
        .header('content-disposition', attachmentDisposition(f.name))
        .send(f.data);
    },
  );
}
