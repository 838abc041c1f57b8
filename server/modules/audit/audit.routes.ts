import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  auditAnchor,
  auditAnchors,
  auditEntry,
  auditQuery,
  auditVerifyResult,
} from '../../../common/contracts/audit.js';
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
        summary: 'Check the keyed hash chain and every anchor; names the first broken row',
        response: { 200: auditVerifyResult },
      },
    },
    async (req) => audit.verify(req.ctx),
  );
  r.get(
    '/api/audit/anchors',
    {
      config: { access: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'The newest signed anchors of the chain, and the public key that checks them',
        response: { 200: auditAnchors },
      },
    },
    async (req) => audit.anchors(req.ctx),
  );
  r.post(
    '/api/audit/anchors',
    {
      config: { access: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Sign the chain’s head into the anchor log now (audited)',
        response: { 201: auditAnchor },
      },
    },
    async (req, reply) => reply.code(201).send(await audit.anchorNow(req.ctx)),
  );
}
