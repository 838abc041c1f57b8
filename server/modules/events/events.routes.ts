import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  calendarDay,
  calendarDayParam,
  category,
  createCategoryBody,
  createDepartmentBody,
  department,
  evaluateBody,
  eventActionBody,
  eventDetail,
  eventSummary,
  kpiQuery,
  kpiResponse,
  listDepartmentsQuery,
  listEventsQuery,
  memberBody,
  publicReportBody,
  publicReportResponse,
  putCalendarDayBody,
  reportEventBody,
  reportResponse,
  revealReporterPhoneBody,
  revealReporterPhoneResponse,
  trackingParam,
  trackingView,
  updateCategoryBody,
  updateDepartmentBody,
} from '../../../common/contracts/events.js';
import { publicPlaceAt, publicPlaceAtQuery } from '../../../common/contracts/nodes.js';
import { idParam, listOf, paged, recordIdParam } from '../../../common/contracts/shared.js';
import type { EventsAdminService } from './events.admin.service.js';
import type { EventsService } from './events.service.js';

export function eventsRoutes(
  app: FastifyInstance,
  events: EventsService,
  admin: EventsAdminService,
  opts: { publicRateLimit: number; publicLookupRateLimit: number },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['events'];
  const publicLimit = { max: opts.publicRateLimit, timeWindow: '1 minute' };
  const lookupLimit = { max: opts.publicLookupRateLimit, timeWindow: '1 minute' };

  // Intake, lists and the workflow. Lists and records filter by jurisdiction or department in the service.
  r.post(
    '/api/events',
    {
      config: { access: 'events.report' },
      schema: {
        tags,
        summary: 'Report an event (grid patrol or hotline); answers possible duplicates nearby',
        body: reportEventBody,
        response: { 201: reportResponse },
      },
    },
    async (req, reply) => reply.status(201).send(await events.report(req.ctx, req.body)),
  );
  r.get(
    '/api/events',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Events in your jurisdiction or dispatched to your department',
        querystring: listEventsQuery,
        response: { 200: paged(eventSummary) },
      },
    },
    async (req) => events.list(req.ctx, req.query),
  );
  r.get(
    '/api/events/tasks',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'What waits for you, overdue first',
        response: { 200: listOf(eventSummary) },
      },
    },
    async (req) => events.tasks(req.ctx),
  );
  r.get(
    '/api/events/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'One event with its timeline and the actions you may take',
        params: idParam,
        response: { 200: eventDetail },
      },
    },
    async (req) => events.get(req.ctx, req.params.id),
  );
  r.post(
    '/api/events/:id/actions',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Take a workflow action; 409 lists the allowed ones',
        params: idParam,
        body: eventActionBody,
        response: { 200: eventDetail },
      },
    },
    async (req) => events.act(req.ctx, req.params.id, req.body),
  );
  // Calling the reporter back: any signed-in user reaches it; the service lets in events.reveal at the
  // event's node or the lead department's handlers (who hold no events.reveal), else 403.
  r.post(
    '/api/events/:id/reveal-reporter-phone',
    {
      config: { access: 'authenticated', auditDenied: 'sensitive' },
      schema: {
        tags,
        summary:
          'The reporter’s phone in clear, once, to call them back; audited with the reason (409 if none was left)',
        params: idParam,
        body: revealReporterPhoneBody,
        response: { 200: revealReporterPhoneResponse },
      },
    },
    async (req) => events.revealReporterPhone(req.ctx, req.params.id, req.body.reason),
  );
  r.get(
    '/api/events/kpis',
    {
      config: { access: 'events.read' },
      schema: {
        tags,
        summary: 'KPIs of a node over a period, with its children (docs/kpis.md)',
        querystring: kpiQuery,
        response: { 200: kpiResponse },
      },
    },
    async (req) => events.kpis(req.ctx, req.query),
  );
  r.post(
    '/api/events/sweep',
    {
      config: { access: 'events.configure' },
      schema: {
        tags,
        summary: 'Run the escalation sweep now',
        response: { 200: z.object({ escalated: z.number().int() }) },
      },
    },
    async (req) => events.sweep(req.ctx),
  );

  // The resident's side: no login, rate limited, no personal data in answers.
  r.get(
    '/api/public/event-categories',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Categories residents may report',
        response: { 200: listOf(category) },
      },
    },
    async () => ({
      items: await admin.categories(true),
    }),
  );
  r.get(
    '/api/public/places/at',
    {
      config: { access: 'public', rateLimit: lookupLimit },
      schema: {
        tags,
        summary:
          'Where a report placed at this point goes (the grid holding it, with the names above), before it is sent',
        querystring: publicPlaceAtQuery,
        response: { 200: publicPlaceAt },
      },
    },
    async (req) => ({ place: await events.placeAt(req.query.lat, req.query.lng) }),
  );
  r.post(
    '/api/public/events',
    {
      config: { access: 'public', rateLimit: publicLimit },
      schema: {
        tags,
        summary: 'Report a problem as a resident; answers a tracking code',
        body: publicReportBody,
        response: { 201: publicReportResponse },
      },
    },
    async (req, reply) =>
      reply.status(201).send({ trackingCode: (await events.reportPublic(req.ctx, req.body)).trackingCode }),
  );
  r.get(
    '/api/public/events/:code',
    {
      config: { access: 'public', rateLimit: publicLimit },
      schema: {
        tags,
        summary: 'Track a report by its code',
        params: trackingParam,
        response: { 200: trackingView },
      },
    },
    async (req) => events.track(req.params.code),
  );
  r.post(
    '/api/public/events/:code/evaluation',
    {
      config: { access: 'public', rateLimit: publicLimit },
      schema: {
        tags,
        summary: 'Rate a closed report; not satisfied reopens it',
        params: trackingParam,
        body: evaluateBody,
        response: { 200: trackingView },
      },
    },
    async (req) => events.evaluatePublic(req.ctx, req.params.code, req.body),
  );

  // Administration.
  r.get(
    '/api/event-categories',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'The category taxonomy with time limits',
        response: { 200: listOf(category) },
      },
    },
    async () => ({
      items: await admin.categories(false),
    }),
  );
  r.post(
    '/api/event-categories',
    {
      config: { access: 'events.configure' },
      schema: {
        tags,
        summary: 'Add a category or sub-category',
        body: createCategoryBody,
        response: { 201: category },
      },
    },
    async (req, reply) => reply.status(201).send(await admin.createCategory(req.ctx, req.body)),
  );
  r.patch(
    '/api/event-categories/:id',
    {
      config: { access: 'events.configure' },
      schema: {
        tags,
        summary: 'Edit a category, its time limits or fields; retire it',
        params: idParam,
        body: updateCategoryBody,
        response: { 200: category },
      },
    },
    async (req) => admin.updateCategory(req.ctx, req.params.id, req.body),
  );
  r.get(
    '/api/departments',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Departments you dispatch to or manage (serving a node with ?node=)',
        querystring: listDepartmentsQuery,
        response: { 200: listOf(department) },
      },
    },
    async (req) => admin.listDepartments(req.ctx, req.query),
  );
  r.post(
    '/api/departments',
    {
      config: { access: 'departments.manage' },
      schema: {
        tags,
        summary: 'Add a department at a node',
        body: createDepartmentBody,
        response: { 201: department },
      },
    },
    async (req, reply) => reply.status(201).send(await admin.createDepartment(req.ctx, req.body)),
  );
  r.patch(
    '/api/departments/:id',
    {
      config: { access: 'departments.manage' },
      schema: {
        tags,
        summary: 'Rename or retire a department',
        params: idParam,
        body: updateDepartmentBody,
        response: { 200: department },
      },
    },
    async (req) => admin.updateDepartment(req.ctx, req.params.id, req.body),
  );
  r.post(
    '/api/departments/:id/members',
    {
      config: { access: 'departments.manage' },
      schema: {
        tags,
        summary: 'Add a handler to a department',
        params: idParam,
        body: memberBody,
        response: { 201: department },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await admin.addMember(req.ctx, req.params.id, req.body.userId)),
  );
  r.delete(
    '/api/departments/:id/members/:userId',
    {
      config: { access: 'departments.manage' },
      schema: {
        tags,
        summary: 'Remove a handler from a department',
        params: z.strictObject({ id: recordIdParam, userId: recordIdParam }),
        response: { 200: department },
      },
    },
    async (req) => admin.removeMember(req.ctx, req.params.id, req.params.userId),
  );
  r.get(
    '/api/work-calendar',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Holidays and make-up working days',
        response: { 200: listOf(calendarDay) },
      },
    },
    async () => admin.calendar(),
  );
  r.put(
    '/api/work-calendar/:day',
    {
      config: { access: 'events.configure' },
      schema: {
        tags,
        summary: 'Mark a day as holiday or make-up working day',
        params: calendarDayParam,
        body: putCalendarDayBody,
        response: { 200: listOf(calendarDay) },
      },
    },
    async (req) => admin.putCalendarDay(req.ctx, req.params.day, req.body),
  );
  r.delete(
    '/api/work-calendar/:day',
    {
      config: { access: 'events.configure' },
      schema: {
        tags,
        summary: 'Make a day ordinary again',
        params: calendarDayParam,
        response: { 200: listOf(calendarDay) },
      },
    },
    async (req) => admin.deleteCalendarDay(req.ctx, req.params.day),
  );
}
