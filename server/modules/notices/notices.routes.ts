import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  deliverBody,
  deliverResponse,
  listNoticesQuery,
  noticeDetail,
  noticeHousehold,
  noticeHouseholdParams,
  noticeHouseholdsQuery,
  noticeQuery,
  noticeSummary,
  publishNoticeBody,
} from '../../../common/contracts/notices.js';
import { idParam, okResponse, paged } from '../../../common/contracts/shared.js';
import type { NoticesService } from './notices.service.js';

export function noticesRoutes(app: FastifyInstance, notices: NoticesService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['notices'];
  r.post(
    '/api/notices',
    {
      config: { access: 'notices.publish' },
      schema: {
        tags,
        summary: 'Publish a notice to every household of a subtree',
        body: publishNoticeBody,
        response: { 201: noticeDetail },
      },
    },
    async (req, reply) => reply.status(201).send(await notices.publish(req.ctx, req.body)),
  );
  // Command readers and the workers who deliver both see notices: the service takes either scope.
  r.get(
    '/api/notices',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Notices reaching your jurisdiction, with progress at your level',
        querystring: listNoticesQuery,
        response: { 200: paged(noticeSummary) },
      },
    },
    async (req) => notices.list(req.ctx, req.query),
  );
  r.get(
    '/api/notices/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'A notice with its progress at a node and per child node',
        params: idParam,
        querystring: noticeQuery,
        response: { 200: noticeDetail },
      },
    },
    async (req) => notices.get(req.ctx, req.params.id, req.query),
  );
  r.get(
    '/api/notices/:id/households',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Households of a node with their delivery: the grid worker’s checklist',
        params: idParam,
        querystring: noticeHouseholdsQuery,
        response: { 200: paged(noticeHousehold) },
      },
    },
    async (req) => notices.households(req.ctx, req.params.id, req.query),
  );
  r.post(
    '/api/notices/:id/deliveries',
    {
      config: { access: 'notices.deliver' },
      schema: {
        tags,
        summary: 'Confirm delivery to households (already delivered ones are skipped)',
        params: idParam,
        body: deliverBody,
        response: { 200: deliverResponse },
      },
    },
    async (req) => notices.deliver(req.ctx, req.params.id, req.body),
  );
  r.delete(
    '/api/notices/:id/deliveries/:householdId',
    {
      config: { access: 'notices.deliver' },
      schema: {
        tags,
        summary: 'Take back a delivery recorded by mistake',
        params: noticeHouseholdParams,
        response: { 200: okResponse },
      },
    },
    async (req) => notices.undeliver(req.ctx, req.params.id, req.params.householdId),
  );
}
