// Joint mediation's HTTP face: thin handlers over mediation.service.ts, each route declaring its
// permission (common/permissions.ts). Reading a case is open to any signed-in user at the route: the
// service lets in the readers of its place and its own mediator. The party's own link and the
// one-time signing link are public, rate limited, and reach one party of one case only; so is a
// mediator's public profile, which a party opens from their own page.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  acceptBody,
  agendaList,
  revealedParty,
  agreementList,
  agreementListQuery,
  agreementView,
  applicationBody,
  applicationResult,
  applyConfirmationBody,
  assignBody,
  assistedSignBody,
  attendanceBody,
  bookHearingBody,
  caseList,
  caseListQuery,
  caseView,
  confirmationList,
  confirmationListQuery,
  confirmationView,
  consentBody,
  createCaseBody,
  createMediatorBody,
  createOrgBody,
  decideBody,
  draftAgreementBody,
  evidenceView,
  failBody,
  followUpBody,
  followUpList,
  followUpView,
  hearingList,
  hearingListQuery,
  hearingView,
  mediatorList,
  mediatorView,
  messageBody,
  messageList,
  messageView,
  minutesBody,
  orgList,
  orgListQuery,
  orgView,
  partyCaseView,
  partyConsentBody,
  partyMessageBody,
  publicMediatorView,
  reasonBody,
  scheduleBody,
  sessionParams,
  sessionView,
  signBody,
  signLinks,
  signView,
  statsQuery,
  statsView,
  suggestionList,
  tokenParam,
  verifyResult,
} from '../../../common/contracts/mediation.js';
import { idParam, okResponse, recordIdParam } from '../../../common/contracts/shared.js';
import { LIMITS } from '../../../common/limits.js';
import { XLSX_MIME } from '../../platform/tabular.js';
import { attachmentDisposition, readUpload, uploadFields } from '../../platform/uploads.js';
import type { MediationService } from './mediation.service.js';

const partyParams = z.strictObject({ id: recordIdParam, partyId: recordIdParam });
const evidenceParams = z.strictObject({ id: recordIdParam, evidenceId: recordIdParam });
const evidenceFields = z.strictObject({ partyId: recordIdParam.optional() });

export function mediationRoutes(
  app: FastifyInstance,
  s: { mediation: MediationService },
  opts: { publicRateLimit: number },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const m = s.mediation;
  const tags = ['mediation'];
  const open = { access: 'authenticated' as const };
  const pub = { access: 'public' as const, rateLimit: { max: opts.publicRateLimit, timeWindow: '1 minute' } };
  const pubRead = {
    access: 'public' as const,
    rateLimit: { max: opts.publicRateLimit * 3, timeWindow: '1 minute' },
  };
  const pdf = (reply: FastifyReply, f: { pdf: Buffer; name: string }) =>
    reply
      .type('application/pdf')
      .header('content-disposition', attachmentDisposition(f.name))
      .header('cache-control', 'private, no-store')
      .send(f.pdf);

  // ---- organisations and mediators
  r.get(
    '/api/mediation/orgs',
    {
      config: open,
      schema: {
        tags,
        summary: 'Committees, micro-court points, the family team and courts',
        querystring: orgListQuery,
        response: { 200: orgList },
      },
    },
    async (req) => m.orgs(req.ctx, req.query),
  );
  r.post(
    '/api/mediation/orgs',
    {
      config: { access: 'mediation.manage' },
      schema: {
        tags,
        summary: 'Set up a committee, a micro-court point, a team or a court',
        body: createOrgBody,
        response: { 201: orgView },
      },
    },
    async (req, reply) => reply.status(201).send(await m.createOrg(req.ctx, req.body)),
  );
  r.get(
    '/api/mediation/mediators',
    {
      config: open,
      schema: {
        tags,
        summary: 'Mediators with their specialties, area, load and public profile',
        querystring: z.strictObject({ org: recordIdParam.optional() }),
        response: { 200: mediatorList },
      },
    },
    async (req) => m.mediators(req.ctx, req.query),
  );
  r.post(
    '/api/mediation/mediators',
    {
      config: { access: 'mediation.manage' },
      schema: {
        tags,
        summary: 'Register a user as a mediator of an organisation',
        body: createMediatorBody,
        response: { 201: mediatorView },
      },
    },
    async (req, reply) => reply.status(201).send(await m.createMediator(req.ctx, req.body)),
  );

  // ---- cases
  r.get(
    '/api/mediation/cases',
    {
      config: open,
      schema: {
        tags,
        summary: 'Cases in your places, or your own caseload (mine=1)',
        querystring: caseListQuery,
        response: { 200: caseList },
      },
    },
    async (req) => m.list(req.ctx, req.query),
  );
  r.post(
    '/api/mediation/cases',
    {
      config: { access: 'mediation.intake' },
      schema: {
        tags,
        summary: 'Receive a dispute: parties on both sides, facts, claims',
        body: createCaseBody,
        response: { 201: caseView },
      },
    },
    async (req, reply) => reply.status(201).send(await m.create(req.ctx, req.body)),
  );
  r.get(
    '/api/mediation/cases/:id',
    {
      config: open,
      schema: {
        tags,
        summary: 'One case with its parties, sessions, evidence and agreement',
        params: idParam,
        response: { 200: caseView },
      },
    },
    async (req) => m.view(req.ctx, req.params.id),
  );
  r.get(
    '/api/mediation/cases/:id/suggestions',
    {
      config: { access: 'mediation.assign' },
      schema: {
        tags,
        summary: 'Mediators suggested by specialty, area and load, conflicts flagged',
        params: idParam,
        response: { 200: suggestionList },
      },
    },
    async (req) => m.suggestions(req.ctx, req.params.id),
  );
  r.post(
    '/api/mediation/cases/:id/consent',
    {
      config: { access: 'mediation.assign' },
      schema: {
        tags,
        summary: 'Record a party’s willingness to mediate (a refusal ends the case)',
        params: idParam,
        body: consentBody,
        response: { 200: caseView },
      },
    },
    async (req) => m.consent(req.ctx, req.params.id, req.body),
  );
  r.post(
    '/api/mediation/cases/:id/assign',
    {
      config: { access: 'mediation.assign' },
      schema: {
        tags,
        summary: 'Designate the mediator (or record the parties’ choice)',
        params: idParam,
        body: assignBody,
        response: { 200: caseView },
      },
    },
    async (req) => m.assign(req.ctx, req.params.id, req.body),
  );
  for (const action of ['withdraw', 'escalate', 'refer'] as const)
    r.post(
      `/api/mediation/cases/:id/${action}`,
      {
        config: { access: 'mediation.mediate' },
        schema: {
          tags,
          summary: {
            withdraw: 'The applicant withdraws',
            escalate: 'Hand the case up the ladder (village → town → district)',
            refer: 'Refer the case to another route (joint handling, police, court)',
          }[action],
          params: idParam,
          body: reasonBody,
          response: { 200: caseView },
        },
      },
      async (req) => m.conclude(req.ctx, req.params.id, action, { reason: req.body.reason }),
    );
  r.post(
    '/api/mediation/cases/:id/fail',
    {
      config: { access: 'mediation.mediate' },
      schema: {
        tags,
        summary: 'End without agreement, with the other routes explained (Art. 26)',
        params: idParam,
        body: failBody,
        response: { 200: caseView },
      },
    },
    async (req) => m.conclude(req.ctx, req.params.id, 'fail', req.body),
  );
  r.post(
    '/api/mediation/cases/:id/joint',
    {
      config: { access: 'mediation.mediate' },
      schema: {
        tags,
        summary: 'Both sides agreed to joint sessions: the case leaves caucus',
        params: idParam,
        response: { 200: caseView },
      },
    },
    async (req) => m.setJoint(req.ctx, req.params.id),
  );
  r.post(
    '/api/mediation/cases/:id/parties/:partyId/reveal',
    {
      config: { access: 'mediation.mediate', auditDenied: 'sensitive' },
      schema: {
        tags,
        summary: 'Reveal a party’s ID number and phone (audited)',
        params: partyParams,
        response: { 200: revealedParty },
      },
    },
    async (req) => m.revealParty(req.ctx, req.params.id, req.params.partyId),
  );
  r.post(
    '/api/mediation/cases/:id/party-links',
    {
      config: { access: 'mediation.assign' },
      schema: {
        tags,
        summary: 'New own links for every party to follow the case (old ones stop working)',
        params: idParam,
        response: { 200: signLinks },
      },
    },
    async (req) => m.partyLinks(req.ctx, req.params.id),
  );
  r.post(
    '/api/mediation/cases/:id/evidence',
    {
      config: { access: 'mediation.mediate' },
      schema: {
        tags,
        summary: 'Add evidence (multipart: file, partyId); kept with its SHA-256',
        params: idParam,
        response: { 201: evidenceView },
      },
    },
    async (req, reply) => {
      const u = await readUpload(req, ['partyId'], { fileSize: LIMITS.directiveFileBytes + 1 });
      const f = uploadFields(evidenceFields, u.fields);
      return reply.status(201).send(await m.addEvidence(req.ctx, req.params.id, u.file, f.partyId ?? null));
    },
  );
  r.get(
    '/api/mediation/cases/:id/evidence/:evidenceId',
    { config: open, schema: { tags, summary: 'A piece of evidence as stored', params: evidenceParams } },
    async (req, reply) => {
      const f = await m.evidenceFile(req.ctx, req.params.id, req.params.evidenceId);
      return reply
        .type(f.mime === 'text/plain' ? 'text/plain; charset=utf-8' : f.mime)
        .header('content-disposition', attachmentDisposition(f.name))
        .header('x-content-type-options', 'nosniff')
        .send(f.content);
    },
  );

  // ---- sessions and messages
  r.post(
    '/api/mediation/cases/:id/sessions',
    {
      config: { access: 'mediation.mediate' },
      schema: {
        tags,
        summary: 'Schedule a session: in person, at a micro-court point, by video or by messages',
        params: idParam,
        body: scheduleBody,
        response: { 201: sessionView },
      },
    },
    async (req, reply) => reply.status(201).send(await m.schedule(req.ctx, req.params.id, req.body)),
  );
  r.post(
    '/api/mediation/cases/:id/sessions/:sessionId/minutes',
    {
      config: { access: 'mediation.mediate' },
      schema: {
        tags,
        summary: 'Minute a session held: attendance, facts, positions, result',
        params: sessionParams,
        body: minutesBody,
        response: { 200: caseView },
      },
    },
    async (req) => m.minute(req.ctx, req.params.id, req.params.sessionId, req.body),
  );
  r.get(
    '/api/mediation/cases/:id/messages',
    {
      config: { access: 'mediation.mediate' },
      schema: {
        tags,
        summary: 'Every message of the case (the mediator’s view)',
        params: idParam,
        response: { 200: messageList },
      },
    },
    async (req) => m.messages(req.ctx, req.params.id),
  );
  r.post(
    '/api/mediation/cases/:id/messages',
    {
      config: { access: 'mediation.mediate' },
      schema: {
        tags,
        summary: 'Write to the parties (toAll) or keep a note',
        params: idParam,
        body: messageBody,
        response: { 201: messageView },
      },
    },
    async (req, reply) => reply.status(201).send(await m.postMessage(req.ctx, req.params.id, req.body)),
  );

  // ---- agreements
  r.post(
    '/api/mediation/cases/:id/agreement',
    {
      config: { access: 'mediation.mediate' },
      schema: {
        tags,
        summary: 'Draft the agreement (Art. 29) and generate its PDF',
        params: idParam,
        body: draftAgreementBody,
        response: { 201: agreementView },
      },
    },
    async (req, reply) => reply.status(201).send(await m.draftAgreement(req.ctx, req.params.id, req.body)),
  );
  r.post(
    '/api/mediation/cases/:id/revise',
    {
      config: { access: 'mediation.mediate' },
      schema: {
        tags,
        summary: 'Void the draft agreement and mediate on',
        params: idParam,
        response: { 200: caseView },
      },
    },
    async (req) => m.revise(req.ctx, req.params.id),
  );
  r.get(
    '/api/mediation/agreements',
    {
      config: open,
      schema: {
        tags,
        summary: 'Agreements of your places, and those sent to your court for confirmation',
        querystring: agreementListQuery,
        response: { 200: agreementList },
      },
    },
    async (req) => m.agreements(req.ctx, req.query),
  );
  r.get(
    '/api/mediation/agreements/:id',
    {
      config: open,
      schema: {
        tags,
        summary: 'One agreement: obligations, signatures, confirmation',
        params: idParam,
        response: { 200: agreementView },
      },
    },
    async (req) => m.agreement(req.ctx, req.params.id),
  );
  r.get(
    '/api/mediation/agreements/:id/pdf',
    { config: open, schema: { tags, summary: 'The agreement’s PDF as generated', params: idParam } },
    async (req, reply) => pdf(reply, await m.agreementPdf(req.ctx, req.params.id)),
  );
  r.post(
    '/api/mediation/agreements/:id/links',
    {
      config: { access: 'mediation.mediate' },
      schema: {
        tags,
        summary: 'One-time signing links for the parties yet to sign (earlier links stop working)',
        params: idParam,
        response: { 200: signLinks },
      },
    },
    async (req) => m.signLinks(req.ctx, req.params.id),
  );
  r.post(
    '/api/mediation/agreements/:id/sign',
    {
      config: { access: 'mediation.mediate' },
      schema: {
        tags,
        summary: 'The case’s mediator signs',
        params: idParam,
        response: { 200: agreementView },
      },
    },
    async (req) => m.signAsMediator(req.ctx, req.params.id),
  );
  r.post(
    '/api/mediation/agreements/:id/assisted-sign',
    {
      config: open,
      schema: {
        tags,
        summary: 'A party signs at a micro-court point; the invited mediator checked their ID on site',
        params: idParam,
        body: assistedSignBody,
        response: { 200: agreementView },
      },
    },
    async (req) => m.signAssisted(req.ctx, req.params.id, req.body),
  );
  r.post(
    '/api/mediation/agreements/verify',
    {
      config: { ...pub },
      schema: {
        tags,
        summary: 'Whether a PDF (multipart: file) is an agreement exactly as generated',
        response: { 200: verifyResult },
      },
    },
    async (req) => m.verify((await readUpload(req, [], { fileSize: 20 * 1024 * 1024 })).file.data),
  );
  r.post(
    '/api/mediation/agreements/:id/confirmation',
    {
      config: { access: 'mediation.mediate' },
      schema: {
        tags,
        summary: 'Apply jointly for judicial confirmation (within 30 days of effect)',
        params: idParam,
        body: applyConfirmationBody,
        response: { 201: confirmationView },
      },
    },
    async (req, reply) => reply.status(201).send(await m.applyConfirmation(req.ctx, req.params.id, req.body)),
  );

  // ---- judicial confirmation
  r.get(
    '/api/mediation/confirmations',
    {
      config: open,
      schema: {
        tags,
        summary: 'Applications for confirmation: your court’s, or your places’',
        querystring: confirmationListQuery,
        response: { 200: confirmationList },
      },
    },
    async (req) => m.confirmations(req.ctx, req.query),
  );
  r.post(
    '/api/mediation/confirmations/:id/accept',
    {
      config: { access: 'mediation.confirm' },
      schema: {
        tags,
        summary: 'Accept the application, or decline it with the reason (within 3 days)',
        params: idParam,
        body: acceptBody,
        response: { 200: confirmationView },
      },
    },
    async (req) => m.decideConfirmation(req.ctx, req.params.id, 'accept', req.body),
  );
  r.post(
    '/api/mediation/confirmations/:id/decide',
    {
      config: { access: 'mediation.confirm' },
      schema: {
        tags,
        summary: 'Rule: confirm the agreement or refuse confirmation',
        params: idParam,
        body: decideBody,
        response: { 200: confirmationView },
      },
    },
    async (req) => m.decideConfirmation(req.ctx, req.params.id, 'decide', req.body),
  );

  // ---- hearings at micro-court points
  r.get(
    '/api/hearings',
    {
      config: open,
      schema: {
        tags,
        summary: 'A day’s hearings: your own, your point’s, your places’',
        querystring: hearingListQuery,
        response: { 200: hearingList },
      },
    },
    async (req) => m.hearings(req.ctx, req.query),
  );
  r.post(
    '/api/hearings',
    {
      config: { access: 'hearings.manage' },
      schema: {
        tags,
        summary: 'Book a micro-court point’s computer for a cloud hearing (409 on overlap)',
        body: bookHearingBody,
        response: { 201: hearingView },
      },
    },
    async (req, reply) => reply.status(201).send(await m.book(req.ctx, req.body)),
  );
  r.post(
    '/api/hearings/:id/attendance',
    {
      config: open,
      schema: {
        tags,
        summary: 'Record who attended, IDs checked on site',
        params: idParam,
        body: attendanceBody,
        response: { 200: hearingView },
      },
    },
    async (req) => m.attend(req.ctx, req.params.id, req.body),
  );
  r.post(
    '/api/hearings/:id/cancel',
    {
      config: { access: 'hearings.manage' },
      schema: {
        tags,
        summary: 'Cancel a hearing you booked',
        params: idParam,
        response: { 200: hearingView },
      },
    },
    async (req) => m.cancelHearing(req.ctx, req.params.id),
  );

  // ---- follow-ups, statistics, the mediator's day
  r.get(
    '/api/mediation/follow-ups',
    {
      config: { access: 'mediation.mediate' },
      schema: { tags, summary: 'Follow-up visits of your cases and places', response: { 200: followUpList } },
    },
    async (req) => m.followUps(req.ctx),
  );
  r.post(
    '/api/mediation/follow-ups/:id',
    {
      config: { access: 'mediation.mediate' },
      schema: {
        tags,
        summary: 'Record a follow-up visit: performance and satisfaction',
        params: idParam,
        body: followUpBody,
        response: { 200: followUpView },
      },
    },
    async (req) => m.recordFollowUp(req.ctx, req.params.id, req.body),
  );
  r.get(
    '/api/mediation/stats',
    {
      config: { access: 'mediation.read' },
      schema: {
        tags,
        summary: 'Statistics of a place over a period (docs/mediation-statistics.md)',
        querystring: statsQuery,
        response: { 200: statsView },
      },
    },
    async (req) => m.stats(req.ctx, req.query),
  );
  r.get(
    '/api/mediation/stats/export',
    {
      config: { access: 'mediation.read' },
      schema: { tags, summary: 'The statistics as a workbook', querystring: statsQuery },
    },
    async (req, reply) => {
      const x = await m.statsWorkbook(req.ctx, req.query);
      return reply.type(XLSX_MIME).header('content-disposition', attachmentDisposition(x.name)).send(x.file);
    },
  );
  r.get(
    '/api/mediation/agenda',
    {
      config: { access: 'mediation.mediate' },
      schema: {
        tags,
        summary: 'Your sessions today',
        response: { 200: agendaList },
      },
    },
    async (req) => m.agenda(req.ctx),
  );

  // ---- public: the resident's application, the party's own link, the one-time signing link
  r.post(
    '/api/public/mediation/applications',
    {
      config: pub,
      schema: {
        tags,
        summary: 'A resident applies for mediation; answers their own link to follow the case',
        body: applicationBody,
        response: { 201: applicationResult },
      },
    },
    async (req, reply) => reply.status(201).send(await m.apply(req.ctx, req.body)),
  );
  r.get(
    '/api/public/mediation/party/:token',
    {
      config: pubRead,
      schema: {
        tags,
        summary: 'A party’s own view of their case',
        params: tokenParam,
        response: { 200: partyCaseView },
      },
    },
    async (req) => m.partyCase(req.params.token),
  );
  r.post(
    '/api/public/mediation/party/:token/consent',
    {
      config: pub,
      schema: {
        tags,
        summary: 'The party says whether they are willing to mediate',
        params: tokenParam,
        body: partyConsentBody,
        response: { 200: partyCaseView },
      },
    },
    async (req) => m.partyConsent(req.ctx, req.params.token, req.body),
  );
  r.post(
    '/api/public/mediation/party/:token/messages',
    {
      config: pub,
      schema: {
        tags,
        summary: 'The party writes to the mediator (in caucus only the mediator reads it)',
        params: tokenParam,
        body: partyMessageBody,
        response: { 201: messageView },
      },
    },
    async (req, reply) => reply.status(201).send(await m.partyMessage(req.ctx, req.params.token, req.body)),
  );
  r.get(
    '/api/public/mediation/mediators/:id',
    {
      config: pubRead,
      schema: {
        tags,
        summary: 'A mediator’s public profile: organisation, area, specialties, qualification, caseload',
        params: idParam,
        response: { 200: publicMediatorView },
      },
    },
    async (req) => m.publicMediator(req.params.id),
  );
  r.get(
    '/api/public/mediation/sign/:token',
    {
      config: pubRead,
      schema: {
        tags,
        summary: 'What a one-time link asks the party to sign',
        params: tokenParam,
        response: { 200: signView },
      },
    },
    async (req) => m.signPage(req.params.token),
  );
  r.get(
    '/api/public/mediation/sign/:token/pdf',
    {
      config: pubRead,
      schema: {
        tags,
        summary: 'The agreement’s PDF, for the party to read before signing',
        params: tokenParam,
      },
    },
    async (req, reply) => pdf(reply, await m.signPagePdf(req.params.token)),
  );
  r.post(
    '/api/public/mediation/sign/:token',
    {
      config: pub,
      schema: {
        tags,
        summary: 'Sign: name and ID number must match the case',
        params: tokenParam,
        body: signBody,
        response: { 200: okResponse },
      },
    },
    async (req) => m.signByLink(req.ctx, req.params.token, req.body),
  );
}
