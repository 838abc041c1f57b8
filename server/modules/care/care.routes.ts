// Psychological care's HTTP face: thin handlers over care.service.ts, each route declaring its
// permission (common/permissions.ts). The person's page (`/api/public/scales/…`) is public and rate
// limited: the one-time token is the key, and it opens nothing but that one questionnaire.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  acknowledgeBody,
  alertList,
  alertView,
  carePeople,
  carePeopleQuery,
  careStats,
  careStatsQuery,
  casesPage,
  casesQuery,
  caseView,
  closeCaseBody,
  contactBody,
  createLinkBody,
  createScaleBody,
  draftBody,
  draftSaved,
  fhirResource,
  linkCreated,
  linkList,
  linksQuery,
  openCaseBody,
  publicScale,
  referBody,
  responseView,
  scaleCodeParam,
  scaleList,
  scaleTokenParam,
  scaleView,
  submitBody,
  submitResult,
  updateCaseBody,
} from '../../../common/contracts/care.js';
import { idParam } from '../../../common/contracts/shared.js';
import type { CareService } from './care.service.js';

export function careRoutes(
  app: FastifyInstance,
  s: { care: CareService },
  opts: { publicRateLimit: number },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['care'];
  const pub = { access: 'public' as const, rateLimit: { max: opts.publicRateLimit, timeWindow: '1 minute' } };
  const c = s.care;

  // ---------------------------------------------------------------- scales
  r.get(
    '/api/scales',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'The psychological scales: PHQ-9, GAD-7 and those an administrator added',
        response: { 200: scaleList },
      },
    },
    async () => c.scales(),
  );
  r.post(
    '/api/scales',
    {
      config: { access: 'scales.manage' },
      schema: {
        tags,
        summary: 'Add a scale as data: items, options, bands covering every total, crisis rules',
        body: createScaleBody,
        response: { 201: scaleView },
      },
    },
    async (req, reply) => reply.status(201).send(await c.createScale(req.ctx, req.body)),
  );
  r.get(
    '/api/scales/:code/fhir',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'A scale as a FHIR R4 Questionnaire',
        params: scaleCodeParam,
        response: { 200: fhirResource },
      },
    },
    async (req, reply) => reply.type('application/fhir+json').send(await c.scaleFhir(req.params.code)),
  );
  r.post(
    '/api/scales/:code/links',
    {
      config: { access: 'scales.send' },
      schema: {
        tags,
        summary:
          'A one-time link to the scale for a person in home observation, on the care roster or of your caseload',
        params: scaleCodeParam,
        body: createLinkBody,
        response: { 201: linkCreated },
      },
    },
    async (req, reply) => reply.status(201).send(await c.sendLink(req.ctx, req.params.code, req.body)),
  );
  r.get(
    '/api/scale-links',
    {
      config: { access: 'scales.send' },
      schema: {
        tags,
        summary: 'Links you sent (counsellors: those of their area), with their state only',
        querystring: linksQuery,
        response: { 200: linkList },
      },
    },
    async (req) => c.links(req.ctx, req.query),
  );

  // ---------------------------------------------------------------- the person's page
  r.get(
    '/api/public/scales/:token',
    {
      config: pub,
      schema: {
        tags,
        summary: 'The questions of a one-time link, and the answers kept so far; used or expired: 410',
        params: scaleTokenParam,
        response: { 200: publicScale },
      },
    },
    async (req) => c.publicScale(req.params.token),
  );
  r.put(
    '/api/public/scales/:token/draft',
    {
      config: pub,
      schema: {
        tags,
        summary: 'Keep the answers so far (closing the page loses nothing)',
        params: scaleTokenParam,
        body: draftBody,
        response: { 200: draftSaved },
      },
    },
    async (req) => c.saveDraft(req.params.token, req.body.answers),
  );
  r.post(
    '/api/public/scales/:token',
    {
      config: pub,
      schema: {
        tags,
        summary: 'Submit the answers once: scored; a crisis rule raises an urgent alert',
        params: scaleTokenParam,
        body: submitBody,
        response: { 200: submitResult },
      },
    },
    async (req) => c.submit(req.ctx, req.params.token, req.body.answers),
  );

  // ---------------------------------------------------------------- alerts and responses
  r.get(
    '/api/care/alerts',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Urgent alerts of your area, open first (the answers for counsellors only)',
        response: { 200: alertList },
      },
    },
    async (req) => c.alerts(req.ctx),
  );
  r.post(
    '/api/care/alerts/:id/acknowledge',
    {
      config: { access: 'counselling.work' },
      schema: {
        tags,
        summary: 'Acknowledge an alert: it stops escalating and the person joins your caseload',
        params: idParam,
        body: acknowledgeBody,
        response: { 200: alertView },
      },
    },
    async (req) => c.acknowledge(req.ctx, req.params.id),
  );
  r.get(
    '/api/care/responses/:id',
    {
      config: { access: 'counselling.read' },
      schema: {
        tags,
        summary: 'A filled scale with its answers (audited)',
        params: idParam,
        response: { 200: responseView },
      },
    },
    async (req) => c.response(req.ctx, req.params.id),
  );
  r.get(
    '/api/care/responses/:id/fhir',
    {
      config: { access: 'counselling.read' },
      schema: {
        tags,
        summary:
          'A filled scale as a FHIR R4 Bundle: QuestionnaireResponse and the total as an Observation (audited)',
        params: idParam,
        response: { 200: fhirResource },
      },
    },
    async (req, reply) =>
      reply.type('application/fhir+json').send(await c.responseFhir(req.ctx, req.params.id)),
  );

  // ---------------------------------------------------------------- people and caseloads
  r.get(
    '/api/care/people',
    {
      config: { access: 'counselling.read' },
      schema: {
        tags,
        summary:
          'Whom you may reach: people in home observation of your area, your caseload, those you sent a scale',
        querystring: carePeopleQuery,
        response: { 200: carePeople },
      },
    },
    async (req) => c.people(req.ctx, req.query),
  );
  r.get(
    '/api/care/cases',
    {
      config: { access: 'counselling.read' },
      schema: {
        tags,
        summary: 'Caseloads of your area, next contact first; ?due=1 those due by today',
        querystring: casesQuery,
        response: { 200: casesPage },
      },
    },
    async (req) => c.cases(req.ctx, req.query),
  );
  r.post(
    '/api/care/cases',
    {
      config: { access: 'counselling.work' },
      schema: {
        tags,
        summary: 'Take a person onto your caseload',
        body: openCaseBody,
        response: { 201: caseView },
      },
    },
    async (req, reply) => reply.status(201).send(await c.openCase(req.ctx, req.body.personId)),
  );
  r.get(
    '/api/care/cases/:id',
    {
      config: { access: 'counselling.read' },
      schema: {
        tags,
        summary: 'A case: contacts, scales filled, referral',
        params: idParam,
        response: { 200: caseView },
      },
    },
    async (req) => c.getCase(req.ctx, req.params.id),
  );
  r.patch(
    '/api/care/cases/:id',
    {
      config: { access: 'counselling.work' },
      schema: {
        tags,
        summary: 'Set the risk level you judge, or the next contact date',
        params: idParam,
        body: updateCaseBody,
        response: { 200: caseView },
      },
    },
    async (req) => c.updateCase(req.ctx, req.params.id, req.body),
  );
  r.post(
    '/api/care/cases/:id/contacts',
    {
      config: { access: 'counselling.work' },
      schema: {
        tags,
        summary: 'Record a call, message or visit, with the next contact date and risk level',
        params: idParam,
        body: contactBody,
        response: { 201: caseView },
      },
    },
    async (req, reply) => reply.status(201).send(await c.addContact(req.ctx, req.params.id, req.body)),
  );
  r.post(
    '/api/care/cases/:id/refer',
    {
      config: { access: 'counselling.work' },
      schema: {
        tags,
        summary: 'Refer to health services (the case stays followed)',
        params: idParam,
        body: referBody,
        response: { 200: caseView },
      },
    },
    async (req) => c.refer(req.ctx, req.params.id, req.body),
  );
  r.post(
    '/api/care/cases/:id/close',
    {
      config: { access: 'counselling.work' },
      schema: {
        tags,
        summary: 'Close a case with a note',
        params: idParam,
        body: closeCaseBody,
        response: { 200: caseView },
      },
    },
    async (req) => c.close(req.ctx, req.params.id, req.body),
  );
  r.get(
    '/api/care/stats',
    {
      config: { access: 'counselling.stats' },
      schema: {
        tags,
        summary:
          'Scales sent and filled, crisis flags, open alerts and cases per child; 1–4 as "<5" below town level',
        querystring: careStatsQuery,
        response: { 200: careStats },
      },
    },
    async (req) => c.stats(req.ctx, req.query),
  );
}
