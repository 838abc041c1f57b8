// Joint services' HTTP face: thin handlers over services.service.ts, each route declaring its
// permission. Reading is open to any signed-in user at the route where volunteers read their own
// (call-outs near them, their tasks, their record); the service lets in the readers of a place and
// the volunteer a task names. Joining by invitation and a resident's own request are public and rate
// limited.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  assignRequestBody,
  assignVisitorBody,
  calloutFromShiftBody,
  calloutList,
  calloutListQuery,
  calloutView,
  careRuleList,
  careRulesBody,
  createCalloutBody,
  createInvitationBody,
  createOrgBody,
  createRequestBody,
  createVolunteerBody,
  doneFields,
  importResult,
  invitationInfo,
  invitationView,
  joinBody,
  joinResult,
  joinTokenParam,
  orgList,
  orgListQuery,
  orgView,
  overdueByGrid,
  overdueQuery,
  positionBody,
  publicRequestBody,
  publicRequestResult,
  rankingList,
  rankingQuery,
  reasonBody,
  requestList,
  requestListQuery,
  requestView,
  rosterEntryView,
  rosterList,
  rosterListQuery,
  satisfactionBody,
  SERVICES_LIMITS,
  signupView,
  suggestionList,
  updateVolunteerBody,
  visitBody,
  visitView,
  volunteerList,
  volunteerListQuery,
  volunteerView,
} from '../../../common/contracts/services.js';
import { idParam, okResponse, recordIdParam } from '../../../common/contracts/shared.js';
import { msg, type Message } from '../../../common/messages/index.js';
import { badRequest } from '../../platform/errors.js';
import { XLSX_MIME } from '../../platform/tabular.js';
import {
  attachmentDisposition,
  readUpload,
  sniffImage,
  stripJpegMetadata,
  uploadFields,
} from '../../platform/uploads.js';
import { renderCertificatePdf } from './certificate-pdf.js';
import type { ServicesService } from './services.service.js';
import { parseVolunteerSheet } from './volunteer-import.js';

const importFields = z.strictObject({ nodeId: recordIdParam, orgId: recordIdParam.optional() });

export function servicesRoutes(
  app: FastifyInstance,
  s: { services: ServicesService },
  opts: { publicRateLimit: number },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const v = s.services;
  const tags = ['services'];
  const open = { access: 'authenticated' as const };
  const pub = { access: 'public' as const, rateLimit: { max: opts.publicRateLimit, timeWindow: '1 minute' } };

  // ---- organisations
  r.get(
    '/api/services/orgs',
    {
      config: { access: 'volunteers.read' },
      schema: {
        tags,
        summary: 'Volunteer organisations of your places',
        querystring: orgListQuery,
        response: { 200: orgList },
      },
    },
    async (req) => v.orgs(req.ctx, req.query),
  );
  r.post(
    '/api/services/orgs',
    {
      config: { access: 'volunteers.manage' },
      schema: {
        tags,
        summary: 'Set up an NGO, party branch, enterprise or owners’ committee',
        body: createOrgBody,
        response: { 201: orgView },
      },
    },
    async (req, reply) => reply.status(201).send(await v.createOrg(req.ctx, req.body)),
  );

  // ---- volunteers
  r.get(
    '/api/services/volunteers',
    {
      config: { access: 'volunteers.read' },
      schema: {
        tags,
        summary: 'Volunteers living in your places',
        querystring: volunteerListQuery,
        response: { 200: volunteerList },
      },
    },
    async (req) => v.volunteers(req.ctx, req.query),
  );
  r.post(
    '/api/services/volunteers',
    {
      config: { access: 'volunteers.manage' },
      schema: {
        tags,
        summary: 'Register a volunteer (consent recorded)',
        body: createVolunteerBody,
        response: { 201: volunteerView },
      },
    },
    async (req, reply) => reply.status(201).send(await v.createVolunteer(req.ctx, req.body)),
  );
  r.get(
    '/api/services/volunteers/me',
    {
      config: open,
      schema: { tags, summary: 'Your own volunteer record', response: { 200: volunteerView } },
    },
    async (req) => v.me(req.ctx),
  );
  r.post(
    '/api/services/volunteers/import',
    {
      config: { access: 'volunteers.manage' },
      schema: {
        tags,
        summary: 'Register volunteers from a workbook (all rows or none)',
        response: { 201: importResult },
      },
    },
    async (req, reply) => {
      const u = await readUpload(req, ['nodeId', 'orgId']);
      const f = uploadFields(importFields, u.fields);
      const rows = await parseVolunteerSheet(u.file.filename, u.file.data);
      return reply.status(201).send(await v.importVolunteers(req.ctx, f.nodeId, f.orgId ?? null, rows));
    },
  );
  r.get(
    '/api/services/volunteers/:id',
    {
      config: open,
      schema: {
        tags,
        summary: 'One volunteer with their hours',
        params: idParam,
        response: { 200: volunteerView },
      },
    },
    async (req) => v.volunteer(req.ctx, req.params.id),
  );
  r.patch(
    '/api/services/volunteers/:id',
    {
      config: { access: 'volunteers.manage' },
      schema: {
        tags,
        summary: 'Change a volunteer’s organisation, skills, availability or status',
        params: idParam,
        body: updateVolunteerBody,
        response: { 200: volunteerView },
      },
    },
    async (req) => v.updateVolunteer(req.ctx, req.params.id, req.body),
  );
  r.get(
    '/api/services/volunteers/:id/certificate',
    {
      config: open,
      schema: { tags, summary: 'The volunteer’s service certificate (PDF, Chinese)', params: idParam },
    },
    async (req, reply) => {
      const pdf = await renderCertificatePdf(await v.certificateData(req.ctx, req.params.id));
      return reply
        .type('application/pdf')
        .header('content-disposition', attachmentDisposition(`volunteer-certificate-${req.params.id}.pdf`))
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );

  // ---- invitations and joining
  r.post(
    '/api/services/invitations',
    {
      config: { access: 'volunteers.manage' },
      schema: {
        tags,
        summary: 'An invitation link for people to sign up as volunteers',
        body: createInvitationBody,
        response: { 201: invitationView },
      },
    },
    async (req, reply) => reply.status(201).send(await v.createInvitation(req.ctx, req.body)),
  );
  r.get(
    '/api/public/join/:token',
    {
      config: pub,
      schema: {
        tags,
        summary: 'What an invitation is for',
        params: joinTokenParam,
        response: { 200: invitationInfo },
      },
    },
    async (req) => v.invitation(req.params.token),
  );
  r.post(
    '/api/public/join/:token',
    {
      config: pub,
      schema: {
        tags,
        summary: 'Sign up as a volunteer through an invitation: a record and an account',
        params: joinTokenParam,
        body: joinBody,
        response: { 201: joinResult },
      },
    },
    async (req, reply) => reply.status(201).send(await v.join(req.ctx, req.params.token, req.body)),
  );

  // ---- call-outs
  r.get(
    '/api/callouts',
    {
      config: open,
      schema: {
        tags,
        summary: 'Call-outs of your places, near your home (near=1) or yours (mine=1)',
        querystring: calloutListQuery,
        response: { 200: calloutList },
      },
    },
    async (req) => v.callouts(req.ctx, req.query),
  );
  r.post(
    '/api/callouts',
    {
      config: { access: 'callouts.post' },
      schema: {
        tags,
        summary: 'Post a call-out: what, where, when, how many, which skills',
        body: createCalloutBody,
        response: { 201: calloutView },
      },
    },
    async (req, reply) => reply.status(201).send(await v.createCallout(req.ctx, req.body)),
  );
  r.post(
    '/api/callouts/from-shift',
    {
      config: { access: 'callouts.post' },
      schema: {
        tags,
        summary: 'Turn a checkpoint’s uncovered shift into a call-out',
        body: calloutFromShiftBody,
        response: { 201: calloutView },
      },
    },
    async (req, reply) => reply.status(201).send(await v.calloutFromShift(req.ctx, req.body)),
  );
  r.get(
    '/api/callouts/:id',
    {
      config: open,
      schema: {
        tags,
        summary: 'One call-out with its sign-ups',
        params: idParam,
        response: { 200: calloutView },
      },
    },
    async (req) => v.callout(req.ctx, req.params.id),
  );
  r.post(
    '/api/callouts/:id/signups',
    {
      config: { access: 'callouts.join' },
      schema: {
        tags,
        summary: 'Sign up in one tap (409 when full)',
        params: idParam,
        response: { 201: signupView },
      },
    },
    async (req, reply) => reply.status(201).send(await v.signUp(req.ctx, req.params.id)),
  );
  r.post(
    '/api/callouts/:id/withdraw',
    {
      config: { access: 'callouts.join' },
      schema: {
        tags,
        summary: 'Give the place back before it starts',
        params: idParam,
        response: { 200: calloutView },
      },
    },
    async (req) => v.withdraw(req.ctx, req.params.id),
  );
  for (const step of ['check-in', 'check-out'] as const)
    r.post(
      `/api/callouts/:id/${step}`,
      {
        config: { access: 'callouts.join' },
        schema: {
          tags,
          summary:
            step === 'check-in' ? 'Check in on site (time and place)' : 'Check out: the minutes are credited',
          params: idParam,
          body: positionBody,
          response: { 200: signupView },
        },
      },
      async (req) =>
        step === 'check-in'
          ? v.checkIn(req.ctx, req.params.id, req.body)
          : v.checkOut(req.ctx, req.params.id, req.body),
    );
  r.post(
    '/api/callouts/:id/close',
    {
      config: { access: 'callouts.post' },
      schema: {
        tags,
        summary: 'Close: who signed up and never came is a no-show',
        params: idParam,
        response: { 200: calloutView },
      },
    },
    async (req) => v.closeCallout(req.ctx, req.params.id),
  );
  r.post(
    '/api/callouts/:id/cancel',
    {
      config: { access: 'callouts.post' },
      schema: {
        tags,
        summary: 'Cancel before it starts (those signed up are told)',
        params: idParam,
        body: reasonBody,
        response: { 200: calloutView },
      },
    },
    async (req) => v.cancelCallout(req.ctx, req.params.id, req.body.reason),
  );

  // ---- service requests
  r.get(
    '/api/service-requests',
    {
      config: open,
      schema: {
        tags,
        summary: 'Service requests of your places, or your own tasks (mine=1)',
        querystring: requestListQuery,
        response: { 200: requestList },
      },
    },
    async (req) => v.requests(req.ctx, req.query),
  );
  r.post(
    '/api/service-requests',
    {
      config: { access: 'service_requests.raise' },
      schema: {
        tags,
        summary: 'Raise a need for a resident: matched to a volunteer nearby',
        body: createRequestBody,
        response: { 201: requestView },
      },
    },
    async (req, reply) => reply.status(201).send(await v.createRequest(req.ctx, req.body)),
  );
  r.post(
    '/api/public/service-requests',
    {
      config: pub,
      schema: {
        tags,
        summary: 'A resident asks for help themselves (name and ID number)',
        body: publicRequestBody,
        response: { 201: publicRequestResult },
      },
    },
    async (req, reply) => reply.status(201).send(await v.publicRequest(req.ctx, req.body)),
  );
  r.get(
    '/api/service-requests/:id',
    {
      config: open,
      schema: { tags, summary: 'One service request', params: idParam, response: { 200: requestView } },
    },
    async (req) => v.request(req.ctx, req.params.id),
  );
  r.get(
    '/api/service-requests/:id/suggestions',
    {
      config: { access: 'services.assign' },
      schema: {
        tags,
        summary: 'Volunteers to match: nearest, with the skill, fewest open tasks',
        params: idParam,
        response: { 200: suggestionList },
      },
    },
    async (req) => v.suggestions(req.ctx, req.params.id),
  );
  r.post(
    '/api/service-requests/:id/assign',
    {
      config: { access: 'services.assign' },
      schema: {
        tags,
        summary: 'Match the request to a volunteer',
        params: idParam,
        body: assignRequestBody,
        response: { 200: requestView },
      },
    },
    async (req) => v.assignRequest(req.ctx, req.params.id, req.body.volunteerId),
  );
  r.post(
    '/api/service-requests/:id/accept',
    {
      config: open,
      schema: { tags, summary: 'Take the task given you', params: idParam, response: { 200: requestView } },
    },
    async (req) => v.acceptRequest(req.ctx, req.params.id),
  );
  r.post(
    '/api/service-requests/:id/decline',
    {
      config: open,
      schema: {
        tags,
        summary: 'Decline: matched to the next nearest',
        params: idParam,
        response: { 200: okResponse },
      },
    },
    async (req) => v.declineRequest(req.ctx, req.params.id),
  );
  r.post(
    '/api/service-requests/:id/complete',
    {
      config: open,
      schema: {
        tags,
        summary: 'Done: a note, the minutes spent and a photo (multipart)',
        params: idParam,
        response: { 200: requestView },
      },
    },
    async (req) => {
      const u = await readUpload(req, ['note', 'minutes'], { fileSize: SERVICES_LIMITS.photoBytesMax + 1 });
      const f = uploadFields(doneFields, u.fields);
      let data = u.file.data;
      const issue = (message: Message, code: string) =>
        badRequest('photo.invalid', {}, [{ path: 'body.file', message, code }]);
      if (data.length === 0) throw issue(msg('issue.file_empty'), 'empty');
      if (data.length > SERVICES_LIMITS.photoBytesMax)
        throw issue(
          msg('issue.file_too_big', { mb: SERVICES_LIMITS.photoBytesMax / 1024 / 1024 }),
          'too_big',
        );
      const mime = await sniffImage(data);
      if (!mime) throw issue(msg('issue.photo_type'), 'type');
      // A camera's JPEG carries where it was taken: keep only the picture.
      if (mime === 'image/jpeg') data = stripJpegMetadata(data);
      return v.completeRequest(req.ctx, req.params.id, f, { data, mime });
    },
  );
  r.get(
    '/api/service-requests/:id/photo',
    { config: open, schema: { tags, summary: 'The photo the service was done with', params: idParam } },
    async (req, reply) => {
      const p = await v.requestPhoto(req.ctx, req.params.id);
      return reply.type(p.mime).header('cache-control', 'private, no-store').send(p.data);
    },
  );
  r.post(
    '/api/service-requests/:id/satisfaction',
    {
      config: open,
      schema: {
        tags,
        summary: 'The resident’s satisfaction (1–5), as they said it',
        params: idParam,
        body: satisfactionBody,
        response: { 200: requestView },
      },
    },
    async (req) => v.rateRequest(req.ctx, req.params.id, req.body.score),
  );
  r.post(
    '/api/service-requests/:id/cancel',
    {
      config: open,
      schema: {
        tags,
        summary: 'Cancel a request no longer needed',
        params: idParam,
        body: reasonBody,
        response: { 200: requestView },
      },
    },
    async (req) => v.cancelRequest(req.ctx, req.params.id, req.body.reason),
  );

  // ---- care rosters
  r.get(
    '/api/care/rules',
    {
      config: open,
      schema: { tags, summary: 'How often each care tag is visited', response: { 200: careRuleList } },
    },
    async (req) => v.careRules(req.ctx),
  );
  r.put(
    '/api/care/rules',
    {
      config: { access: 'care_rules.manage' },
      schema: {
        tags,
        summary: 'Set the visiting rhythms (the district); the roster follows',
        body: careRulesBody,
        response: { 200: careRuleList },
      },
    },
    async (req) => v.setCareRules(req.ctx, req.body),
  );
  r.get(
    '/api/care/roster',
    {
      config: open,
      schema: {
        tags,
        summary: 'Residents on the care roster, soonest due first; overdue=1, mine=1',
        querystring: rosterListQuery,
        response: { 200: rosterList },
      },
    },
    async (req) => v.roster(req.ctx, req.query),
  );
  r.get(
    '/api/care/overdue',
    {
      config: { access: 'volunteers.read' },
      schema: {
        tags,
        summary: 'Overdue care visits per grid under a place',
        querystring: overdueQuery,
        response: { 200: overdueByGrid },
      },
    },
    async (req) => v.overdue(req.ctx, req.query),
  );
  r.post(
    '/api/care/roster/:id/visitor',
    {
      config: { access: 'services.assign' },
      schema: {
        tags,
        summary: 'Assign (or clear) the volunteer who visits',
        params: idParam,
        body: assignVisitorBody,
        response: { 200: rosterEntryView },
      },
    },
    async (req) => v.assignVisitor(req.ctx, req.params.id, req.body),
  );
  r.post(
    '/api/care/roster/:id/visits',
    {
      config: open,
      schema: {
        tags,
        summary: 'Record a visit from the phone (a need found is raised as a request)',
        params: idParam,
        body: visitBody,
        response: { 201: visitView },
      },
    },
    async (req, reply) => reply.status(201).send(await v.recordVisit(req.ctx, req.params.id, req.body)),
  );

  // ---- hours
  r.get(
    '/api/services/hours/rankings',
    {
      config: { access: 'volunteers.read' },
      schema: {
        tags,
        summary: 'Hours per volunteer or organisation in a year or month',
        querystring: rankingQuery,
        response: { 200: rankingList },
      },
    },
    async (req) => v.rankings(req.ctx, req.query),
  );
  r.get(
    '/api/services/hours/rankings.xlsx',
    {
      config: { access: 'volunteers.read' },
      schema: { tags, summary: 'The rankings as a workbook', querystring: rankingQuery },
    },
    async (req, reply) => {
      const f = await v.rankingsWorkbook(req.ctx, req.query);
      return reply.type(XLSX_MIME).header('content-disposition', attachmentDisposition(f.name)).send(f.file);
    },
  );
}
