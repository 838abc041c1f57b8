// Screening sweeps' HTTP face: thin handlers over screening.service.ts, each route declaring its
// permission (common/permissions.ts). Reading a sweep is open to any signed-in user at the route: the
// service lets in the readers of a place within or above it and the seconded cadres paired in it.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  createQuestionnaireBody,
  createSweepBody,
  exportQuery,
  foundBody,
  foundResult,
  gridList,
  helperCandidates,
  helperCandidatesQuery,
  listSweepsQuery,
  pairingBody,
  pairingList,
  pairingParams,
  pairingQuery,
  progressQuery,
  questionnaireList,
  questionnaireView,
  sweepList,
  sweepListFields,
  sweepListQuery,
  sweepListResult,
  sweepProgress,
  sweepView,
  targetParams,
  visitBody,
  visitResult,
} from '../../../common/contracts/screening.js';
import { idParam } from '../../../common/contracts/shared.js';
import { XLSX_MIME } from '../../platform/tabular.js';
import { readUpload, uploadFields } from '../../platform/uploads.js';
import type { ScreeningService } from './screening.service.js';

export function screeningRoutes(app: FastifyInstance, s: { screening: ScreeningService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['screening'];
  const open = { access: 'authenticated' as const };

  r.get(
    '/api/questionnaires',
    {
      config: open,
      schema: {
        tags,
        summary: 'The newest version of each questionnaire',
        response: { 200: questionnaireList },
      },
    },
    async (req) => s.screening.questionnaires(req.ctx),
  );
  r.get(
    '/api/questionnaires/:id',
    {
      config: open,
      schema: {
        tags,
        summary: 'One questionnaire version: questions, conditions, risk rules',
        params: idParam,
        response: { 200: questionnaireView },
      },
    },
    async (req) => s.screening.questionnaire(req.ctx, req.params.id),
  );
  r.post(
    '/api/questionnaires',
    {
      config: { access: 'sweeps.manage' },
      schema: {
        tags,
        summary: 'Publish a questionnaire, or the next version of one with the same code (district level)',
        body: createQuestionnaireBody,
        response: { 201: questionnaireView },
      },
    },
    async (req, reply) => reply.status(201).send(await s.screening.createQuestionnaire(req.ctx, req.body)),
  );

  r.get(
    '/api/sweeps',
    {
      config: open,
      schema: {
        tags,
        summary:
          'Sweeps over, within or above your place and those you are paired in, with progress at your place',
        querystring: listSweepsQuery,
        response: { 200: sweepList },
      },
    },
    async (req) => s.screening.list(req.ctx, req.query),
  );
  r.post(
    '/api/sweeps',
    {
      config: { access: 'sweeps.manage' },
      schema: {
        tags,
        summary: 'Start a sweep under a command: its population split by grid onto the grids’ lists',
        body: createSweepBody,
        response: { 201: sweepView },
      },
    },
    async (req, reply) => reply.status(201).send(await s.screening.create(req.ctx, req.body)),
  );
  r.post(
    '/api/sweeps/import',
    {
      config: { access: 'sweeps.manage' },
      schema: {
        tags,
        summary:
          'Start a sweep of the people a workbook lists by ID number (multipart: file, name, commandId, questionnaireId, nodeId, deadline)',
        response: { 201: sweepListResult },
      },
    },
    async (req, reply) => {
      const upload = await readUpload(req, ['name', 'commandId', 'questionnaireId', 'nodeId', 'deadline']);
      const fields = uploadFields(sweepListFields, upload.fields);
      return reply.status(201).send(await s.screening.createFromList(req.ctx, fields, upload.file));
    },
  );
  r.get(
    '/api/sweeps/:id',
    { config: open, schema: { tags, summary: 'One sweep', params: idParam, response: { 200: sweepView } } },
    async (req) => s.screening.get(req.ctx, req.params.id),
  );
  r.post(
    '/api/sweeps/:id/close',
    {
      config: { access: 'sweeps.manage' },
      schema: {
        tags,
        summary: 'Close a sweep: no more visits; its figures leave the cockpit',
        params: idParam,
        response: { 200: sweepView },
      },
    },
    async (req) => s.screening.close(req.ctx, req.params.id),
  );
  r.get(
    '/api/sweeps/:id/progress',
    {
      config: open,
      schema: {
        tags,
        summary: 'Done and targets at a node and each child, from counters; the grids furthest behind',
        params: idParam,
        querystring: progressQuery,
        response: { 200: sweepProgress },
      },
    },
    async (req) => s.screening.progress(req.ctx, req.params.id, req.query.node),
  );
  r.get(
    '/api/sweeps/:id/list',
    {
      config: open,
      schema: {
        tags,
        summary: 'A grid’s list household by household (yours unless ?node= names another)',
        params: idParam,
        querystring: sweepListQuery,
        response: { 200: gridList },
      },
    },
    async (req) => s.screening.gridList(req.ctx, req.params.id, req.query.node),
  );
  r.post(
    '/api/sweeps/:id/targets/:targetId/visit',
    {
      config: { access: 'sweeps.visit' },
      schema: {
        tags,
        summary:
          'Record a visit: the answers (classified by the risk rules), or not at home, moved away, refused',
        params: targetParams,
        body: visitBody,
        response: { 200: visitResult },
      },
    },
    async (req) => s.screening.visit(req.ctx, req.params.id, req.params.targetId, req.body),
  );
  r.post(
    '/api/sweeps/:id/found',
    {
      config: { access: 'sweeps.visit' },
      schema: {
        tags,
        summary: 'Add someone met on the spot who is not on the list (registered once, by ID number)',
        params: idParam,
        body: foundBody,
        response: { 201: foundResult },
      },
    },
    async (req, reply) => reply.status(201).send(await s.screening.found(req.ctx, req.params.id, req.body)),
  );
  r.get(
    '/api/sweeps/:id/pairings',
    {
      config: { access: 'sweeps.read' },
      schema: {
        tags,
        summary: 'Seconded cadres paired with grids of a node',
        params: idParam,
        querystring: pairingQuery,
        response: { 200: pairingList },
      },
    },
    async (req) => s.screening.pairings(req.ctx, req.params.id, req.query.node),
  );
  r.get(
    '/api/sweeps/:id/helpers',
    {
      config: { access: 'sweeps.manage' },
      schema: {
        tags,
        summary: 'Who may be paired with a grid: accounts that visit, placed at the grid or above it',
        params: idParam,
        querystring: helperCandidatesQuery,
        response: { 200: helperCandidates },
      },
    },
    async (req) => s.screening.helperCandidates(req.ctx, req.params.id, req.query.gridId),
  );
  r.post(
    '/api/sweeps/:id/pairings',
    {
      config: { access: 'sweeps.manage' },
      // A membership the caller can address next (DELETE …/pairings/:gridId/:userId): a create.
      schema: {
        tags,
        summary: 'Pair a seconded cadre with a grid',
        params: idParam,
        body: pairingBody,
        response: { 201: pairingList },
      },
    },
    async (req, reply) => reply.status(201).send(await s.screening.pair(req.ctx, req.params.id, req.body)),
  );
  r.delete(
    '/api/sweeps/:id/pairings/:gridId/:userId',
    {
      config: { access: 'sweeps.manage' },
      schema: { tags, summary: 'End a pairing', params: pairingParams, response: { 200: pairingList } },
    },
    async (req) =>
      s.screening.unpair(req.ctx, req.params.id, { gridId: req.params.gridId, userId: req.params.userId }),
  );
  // A POST like the other exports: it writes an audit row, so it carries the CSRF token.
  r.post(
    '/api/sweeps/:id/export',
    {
      config: { access: 'sweeps.read' },
      schema: {
        tags,
        summary: 'A node’s results as XLSX, one column per question (answers are health data; audited)',
        params: idParam,
        body: exportQuery,
      },
    },
    async (req, reply) =>
      reply
        .type(XLSX_MIME)
        .header('content-disposition', 'attachment; filename="sweep-results.xlsx"')
        .send(await s.screening.exportResults(req.ctx, req.params.id, req.body.node)),
  );
}
