// Home observation's HTTP face: thin handlers over observation.service.ts, each route declaring its
// permission (common/permissions.ts). Reading an order is open to any signed-in user at the route:
// the service lets in the place's readers and the order's named carers, and no one else.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  alertHandledBody,
  carerCandidates,
  carerCandidatesQuery,
  createObservationBody,
  followUpBody,
  followUpParams,
  listObservationsQuery,
  observationStats,
  observationStatsQuery,
  observationStepBody,
  observationTasks,
  observationView,
  observationsPage,
} from '../../../common/contracts/observations.js';
import { idParam } from '../../../common/contracts/shared.js';
import type { ObservationService } from './observation.service.js';

export function observationRoutes(app: FastifyInstance, s: { observation: ObservationService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['observation'];

  r.get(
    '/api/observations',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Home observations in your jurisdiction and those you care for; ?node= narrows',
        querystring: listObservationsQuery,
        response: { 200: observationsPage },
      },
    },
    async (req) => s.observation.list(req.ctx, req.query),
  );
  r.post(
    '/api/observations',
    {
      config: { access: 'observations.manage' },
      schema: {
        tags,
        summary: 'Order home observation for a person: days from the start date, carers, household members',
        body: createObservationBody,
        response: { 201: observationView },
      },
    },
    async (req, reply) => reply.status(201).send(await s.observation.create(req.ctx, req.body)),
  );
  r.get(
    '/api/observations/tasks',
    {
      config: { access: 'observations.follow_up' },
      schema: {
        tags,
        summary: 'Follow-ups waiting for you today (and yesterday’s not yet flagged missed)',
        response: { 200: observationTasks },
      },
    },
    async (req) => s.observation.tasks(req.ctx),
  );
  r.get(
    '/api/observations/carers',
    {
      config: { access: 'observations.manage' },
      schema: {
        tags,
        summary: 'Who may be named carer of a person’s order: accounts that follow up in their town or above',
        querystring: carerCandidatesQuery,
        response: { 200: carerCandidates },
      },
    },
    async (req) => s.observation.carerCandidates(req.ctx, req.query.personId),
  );
  r.get(
    '/api/observations/stats',
    {
      config: { access: 'observations.read' },
      schema: {
        tags,
        summary: 'A place’s home-observation figures and its children’s; below town level 1–4 shows as "<5"',
        querystring: observationStatsQuery,
        response: { 200: observationStats },
      },
    },
    async (req) => s.observation.stats(req.ctx, req.query),
  );
  r.get(
    '/api/observations/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'One home observation with its daily follow-ups',
        params: idParam,
        response: { 200: observationView },
      },
    },
    async (req) => s.observation.get(req.ctx, req.params.id),
  );
  r.put(
    '/api/observations/:id/follow-ups/:date',
    {
      config: { access: 'observations.follow_up' },
      schema: {
        tags,
        summary:
          'Record a day’s follow-up: seen well or unwell, not reached, refused; temperature, symptoms, needs',
        params: followUpParams,
        body: followUpBody,
        response: { 200: observationView },
      },
    },
    async (req) => s.observation.recordFollowUp(req.ctx, req.params.id, req.params.date, req.body),
  );
  r.post(
    '/api/observations/:id/follow-ups/:date/handled',
    {
      config: { access: 'observations.follow_up' },
      schema: {
        tags,
        summary:
          'Mark the alert of a day that found the person unwell handled (the place’s managers, the doctor)',
        params: followUpParams,
        body: alertHandledBody,
        response: { 200: observationView },
      },
    },
    async (req) => s.observation.handleAlert(req.ctx, req.params.id, req.params.date),
  );
  r.post(
    '/api/observations/:id/steps',
    {
      config: { access: 'observations.follow_up' },
      schema: {
        tags,
        summary: 'Release on the end date, extend with a reason, or transfer (hospital, moved away)',
        params: idParam,
        body: observationStepBody,
        response: { 200: observationView },
      },
    },
    async (req) => s.observation.step(req.ctx, req.params.id, req.body),
  );
}
