// Daily situation reports over HTTP: templates, the caller's forms, submissions, roll-ups, history, export.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  createTemplateBody,
  exportBody,
  formsQuery,
  formsResponse,
  historyQuery,
  historyResponse,
  listTemplatesQuery,
  reportForm,
  reportTemplate,
  submitBody,
  summaryQuery,
  summaryResponse,
  updateTemplateBody,
} from '../../../common/contracts/reports.js';
import { idParam, listOf } from '../../../common/contracts/shared.js';
import { XLSX_MIME } from '../../platform/tabular.js';
import type { ReportsService } from './reports.service.js';

export function reportsRoutes(app: FastifyInstance, reports: ReportsService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['reports'];

  r.post(
    '/api/report-templates',
    {
      config: { access: 'reports.manage' },
      schema: {
        tags,
        summary: 'Set up a daily report for every node of a level below a node',
        body: createTemplateBody,
        response: { 201: reportTemplate },
      },
    },
    async (req, reply) => reply.status(201).send(await reports.create(req.ctx, req.body)),
  );
  r.get(
    '/api/report-templates',
    {
      config: { access: 'command.read' },
      schema: {
        tags,
        summary: 'Daily reports you read, fill or manage (filter by command or node)',
        querystring: listTemplatesQuery,
        response: { 200: listOf(reportTemplate) },
      },
    },
    async (req) => reports.list(req.ctx, req.query),
  );
  r.get(
    '/api/report-templates/:id',
    {
      config: { access: 'command.read' },
      schema: {
        tags,
        summary: 'One daily report template',
        params: idParam,
        response: { 200: reportTemplate },
      },
    },
    async (req) => reports.get(req.ctx, req.params.id),
  );
  r.patch(
    '/api/report-templates/:id',
    {
      config: { access: 'reports.manage' },
      schema: {
        tags,
        summary: 'Retire a daily report',
        params: idParam,
        body: updateTemplateBody,
        response: { 200: reportTemplate },
      },
    },
    async (req) => reports.retire(req.ctx, req.params.id),
  );
  r.get(
    '/api/report-templates/:id/forms',
    {
      config: { access: 'reports.submit' },
      schema: {
        tags,
        summary: 'The forms you fill on a day (one per node of yours that reports), with what was given',
        params: idParam,
        querystring: formsQuery,
        response: { 200: formsResponse },
      },
    },
    async (req) => reports.forms(req.ctx, req.params.id, req.query.day),
  );
  r.put(
    '/api/report-templates/:id/submissions',
    {
      config: { access: 'reports.submit' },
      schema: {
        tags,
        summary: 'Fill or correct a node’s report for a day; every invalid value is listed',
        params: idParam,
        body: submitBody,
        response: { 200: reportForm },
      },
    },
    async (req) => reports.submit(req.ctx, req.params.id, req.body),
  );
  r.get(
    '/api/report-templates/:id/summary',
    {
      config: { access: 'command.read' },
      schema: {
        tags,
        summary: 'A day’s roll-up for a node: totals, counts, missing reporters, one row per child',
        params: idParam,
        querystring: summaryQuery,
        response: { 200: summaryResponse },
      },
    },
    async (req) => reports.summary(req.ctx, req.params.id, req.query),
  );
  r.get(
    '/api/report-templates/:id/history',
    {
      config: { access: 'command.read' },
      schema: {
        tags,
        summary: 'Roll-ups per day over at most 92 days',
        params: idParam,
        querystring: historyQuery,
        response: { 200: historyResponse },
      },
    },
    async (req) => reports.history(req.ctx, req.params.id, req.query),
  );
  // A POST: it writes an audit row, so it carries the CSRF token.
  r.post(
    '/api/report-templates/:id/export',
    {
      config: { access: 'command.read' },
      schema: {
        tags,
        summary: 'Submissions per node and day and the daily totals as XLSX; audited',
        params: idParam,
        body: exportBody,
      },
    },
    async (req, reply) =>
      reply
        .type(XLSX_MIME)
        .header('content-disposition', `attachment; filename="report-${req.params.id}.xlsx"`)
        .send(await reports.exportWorkbook(req.ctx, req.params.id, req.body)),
  );
}
