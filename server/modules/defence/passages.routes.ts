// Passages, regions, risk rules and hand-offs over HTTP: thin handlers over passages.service.ts,
// each route declaring its permission (common/permissions.ts).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  IDEMPOTENCY_KEY,
  createPassageBody,
  exportPassagesQuery,
  handoffStepBody,
  handoffTasks,
  handoffView,
  handoffsPage,
  listHandoffsQuery,
  listPassagesQuery,
  outboundRiskQuery,
  outboundRiskResponse,
  passageStats,
  passageStatsQuery,
  passageView,
  passagesPage,
  recallQuery,
  recallResponse,
  regionsQuery,
  regionsResponse,
  riskRulesBody,
  riskRulesView,
} from '../../../common/contracts/passages.js';
import { idParam } from '../../../common/contracts/shared.js';
import { msg } from '../../../common/messages/index.js';
import { badRequest } from '../../platform/errors.js';
import type { PassagesService } from './passages.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function passagesRoutes(app: FastifyInstance, s: { passages: PassagesService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['defence'];

  r.post(
    '/api/passages',
    {
      config: { access: 'passages.register' },
      schema: {
        tags,
        summary:
          'Register a passage at a checkpoint (header Idempotency-Key: a retry with the same key and body answers the first passage, 201 again with Idempotent-Replayed: true; another body is 409)',
        body: createPassageBody,
        response: { 201: passageView },
      },
    },
    async (req, reply) => {
      const key = req.headers['idempotency-key'];
      if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))
        throw badRequest('passage.idempotency_key', {}, [
          { path: 'headers.idempotency-key', message: msg('passage.idempotency_key'), code: 'invalid' },
        ]);
      const out = await s.passages.register(req.ctx, key, req.body);
      if (out.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(201).send(out.passage);
    },
  );
  r.get(
    '/api/passages',
    {
      config: { access: 'passages.read' },
      schema: {
        tags,
        summary: 'Passages at the checkpoints of your jurisdiction, masked, newest first; ?node= narrows',
        querystring: listPassagesQuery,
        response: { 200: passagesPage },
      },
    },
    async (req) => s.passages.list(req.ctx, req.query),
  );
  r.get(
    '/api/passages/recall',
    {
      config: { access: 'passages.register' },
      schema: {
        tags,
        summary:
          'What a plate or an ID number seen before at your checkpoints fills in (masked, with recall tokens)',
        querystring: recallQuery,
        response: { 200: recallResponse },
      },
    },
    async (req) => s.passages.recall(req.ctx, req.query),
  );
  r.get(
    '/api/passages/stats',
    {
      config: { access: 'passages.read' },
      schema: {
        tags,
        summary: 'Passages in and out and risky per hour or local day, of a checkpoint or a subtree',
        querystring: passageStatsQuery,
        response: { 200: passageStats },
      },
    },
    async (req) => s.passages.stats(req.ctx, req.query),
  );
  r.get(
    '/api/passages/outbound-risk',
    {
      config: { access: 'passages.read' },
      schema: {
        tags,
        summary: 'Risky travellers of a command bound outside the district, per region (the border notice)',
        querystring: outboundRiskQuery,
        response: { 200: outboundRiskResponse },
      },
    },
    async (req) => s.passages.outboundRisk(req.ctx, req.query),
  );
  r.get(
    '/api/passages/export.xlsx',
    {
      config: { access: 'passages.read' },
      schema: {
        tags,
        summary: 'The filtered passages as XLSX, one row per traveller, masked (audited)',
        querystring: exportPassagesQuery,
      },
    },
    async (req, reply) =>
      reply
        .header('content-type', XLSX)
        .header('content-disposition', 'attachment; filename="passages.xlsx"')
        .send(await s.passages.export(req.ctx, req.query)),
  );
  r.get(
    '/api/passages/:id',
    {
      config: { access: 'passages.read' },
      schema: { tags, summary: 'One passage, masked', params: idParam, response: { 200: passageView } },
    },
    async (req) => s.passages.get(req.ctx, req.params.id),
  );
  r.get(
    '/api/regions',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: "China's provinces, cities and counties by name, pinyin, initials or code",
        querystring: regionsQuery,
        response: { 200: regionsResponse },
      },
    },
    async (req) => s.passages.regions(req.query),
  );
  r.get(
    '/api/commands/:id/risk-rules',
    {
      config: { access: 'checkpoints.read' },
      schema: {
        tags,
        summary:
          "A command's risk rules (defaults until set): key regions, answers, fever line, hand-off hours",
        params: idParam,
        response: { 200: riskRulesView },
      },
    },
    async (req) => s.passages.getRiskRules(req.ctx, req.params.id),
  );
  r.put(
    '/api/commands/:id/risk-rules',
    {
      config: { access: 'risk_rules.manage' },
      schema: {
        tags,
        summary: "Set a command's risk rules",
        params: idParam,
        body: riskRulesBody,
        response: { 200: riskRulesView },
      },
    },
    async (req) => s.passages.setRiskRules(req.ctx, req.params.id, req.body),
  );
  r.get(
    '/api/handoffs/tasks',
    {
      config: { access: 'handoffs.handle' },
      schema: {
        tags,
        summary: 'Your open risk hand-offs, overdue first',
        response: { 200: handoffTasks },
      },
    },
    async (req) => s.passages.tasks(req.ctx),
  );
  r.get(
    '/api/handoffs',
    {
      config: { access: 'handoffs.handle' },
      schema: {
        tags,
        summary: 'Risk hand-offs to places in your jurisdiction; ?node= narrows',
        querystring: listHandoffsQuery,
        response: { 200: handoffsPage },
      },
    },
    async (req) => s.passages.listHandoffs(req.ctx, req.query),
  );
  r.post(
    '/api/handoffs/:id/steps',
    {
      config: { access: 'handoffs.handle' },
      schema: {
        tags,
        summary: 'Visit the handed-off traveller, or close the hand-off',
        params: idParam,
        body: handoffStepBody,
        response: { 200: handoffView },
      },
    },
    async (req) => s.passages.step(req.ctx, req.params.id, req.body),
  );
}
