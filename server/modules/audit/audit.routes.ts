import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { auditEntry, auditQuery, auditVerifyResult } from '../../../common/contracts/audit.js';
import { paged } from '../../../common/contracts/shared.js';
import type { AuditService } from './audit.service.js';

export function auditRoutes(app: FastifyInstance, audit: AuditService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/audit',
    {
      config: { access: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Audit rows in your scope, newest first',
        querystring: auditQuery,
        response: { 200: paged(auditEntry) },
      },
    },
    async (req) => audit.list(req.ctx, req.query),
  );
  r.get(
    '/api/audit/verify',
    {
      config: { access: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Check the hash chain; names the first broken row',
        response: { 200: auditVerifyResult },
      },
    },
    async (req) => audit.verify(req.ctx),
  );
}
