import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  boardQuery,
  boardResponse,
  closeCommandBody,
  cockpitQuery,
  cockpitResponse,
  directiveDetail,
  directiveSummary,
  directiveTask,
  incidentCommand,
  issueDirectiveBody,
  listCommandsQuery,
  listDirectivesQuery,
  openCommandBody,
  relayDirectiveBody,
  remindBody,
  remindResponse,
  reportTargetBody,
  signTargetBody,
} from '../../../common/contracts/command.js';
import { idParam, listOf, paged } from '../../../common/contracts/shared.js';
import type { CockpitService } from './cockpit.service.js';
import type { CommandsService } from './commands.service.js';
import type { DirectivesService } from './directives.service.js';

export function commandRoutes(
  app: FastifyInstance,
  s: { commands: CommandsService; directives: DirectivesService; cockpit: CockpitService },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['command'];

  r.get(
    '/api/commands',
    {
      config: { access: 'command.read' },
      schema: {
        tags,
        summary: 'Incident commands covering your jurisdiction (open first)',
        querystring: listCommandsQuery,
        response: { 200: listOf(incidentCommand) },
      },
    },
    async (req) => s.commands.list(req.ctx, req.query),
  );
  r.post(
    '/api/commands',
    {
      config: { access: 'command.manage' },
      schema: {
        tags,
        summary: 'Open an incident command over a node',
        body: openCommandBody,
        response: { 201: incidentCommand },
      },
    },
    async (req, reply) => reply.status(201).send(await s.commands.open(req.ctx, req.body)),
  );
  r.get(
    '/api/commands/:id',
    {
      config: { access: 'command.read' },
      schema: { tags, summary: 'One incident command', params: idParam, response: { 200: incidentCommand } },
    },
    async (req) => s.commands.get(req.ctx, req.params.id),
  );
  r.post(
    '/api/commands/:id/close',
    {
      config: { access: 'command.manage' },
      schema: {
        tags,
        summary: 'Close an incident command with a summary',
        params: idParam,
        body: closeCommandBody,
        response: { 200: incidentCommand },
      },
    },
    async (req) => s.commands.close(req.ctx, req.params.id, req.body),
  );

  r.get(
    '/api/directives',
    {
      config: { access: 'command.read' },
      schema: {
        tags,
        summary: 'Directives issued from or sent to your jurisdiction',
        querystring: listDirectivesQuery,
        response: { 200: paged(directiveSummary) },
      },
    },
    async (req) => s.directives.list(req.ctx, req.query),
  );
  r.post(
    '/api/directives',
    {
      config: { access: 'directives.issue' },
      schema: {
        tags,
        summary: 'Issue a directive to a subtree, a level or named nodes',
        body: issueDirectiveBody,
        response: { 201: directiveDetail },
      },
    },
    async (req, reply) => reply.status(201).send(await s.directives.issue(req.ctx, req.body)),
  );
  r.get(
    '/api/directives/tasks',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Directives waiting for you to sign for, relay or report on',
        response: { 200: listOf(directiveTask) },
      },
    },
    async (req) => s.directives.tasks(req.ctx),
  );
  r.post(
    '/api/directives/sweep',
    {
      config: { access: 'command.manage' },
      schema: {
        tags,
        summary: 'Run the overdue sweep now (district only)',
        response: { 200: z.object({ escalated: z.number().int() }) },
      },
    },
    async (req) => s.directives.sweepNow(req.ctx),
  );
  r.get(
    '/api/directives/:id',
    {
      config: { access: 'command.read' },
      schema: {
        tags,
        summary: 'One directive with its chain of instructions, your targets and its history',
        params: idParam,
        response: { 200: directiveDetail },
      },
    },
    async (req) => s.directives.get(req.ctx, req.params.id),
  );
  r.get(
    '/api/directives/:id/board',
    {
      config: { access: 'command.read' },
      schema: {
        tags,
        summary: 'Tracking board over the cascade, seen from a node',
        params: idParam,
        querystring: boardQuery,
        response: { 200: boardResponse },
      },
    },
    async (req) => s.directives.board(req.ctx, req.params.id, req.query),
  );
  r.post(
    '/api/directives/:id/remind',
    {
      config: { access: 'directives.issue' },
      schema: {
        tags,
        summary: 'Remind every target below a node that has not reported back',
        params: idParam,
        body: remindBody,
        response: { 200: remindResponse },
      },
    },
    async (req) => s.directives.remind(req.ctx, req.params.id, req.body.nodeId),
  );
  r.post(
    '/api/directive-targets/:id/sign',
    {
      config: { access: 'directives.respond' },
      schema: {
        tags,
        summary: 'Sign for a directive at your node (签收)',
        params: idParam,
        body: signTargetBody,
        response: { 200: directiveDetail },
      },
    },
    async (req) => s.directives.act(req.ctx, req.params.id, 'sign', req.body),
  );
  r.post(
    '/api/directive-targets/:id/report',
    {
      config: { access: 'directives.respond' },
      schema: {
        tags,
        summary: 'Report back on a directive at your node (反馈)',
        params: idParam,
        body: reportTargetBody,
        response: { 200: directiveDetail },
      },
    },
    async (req) => s.directives.act(req.ctx, req.params.id, 'report', req.body),
  );
  r.post(
    '/api/directives/:id/relay',
    {
      config: { access: 'directives.issue' },
      schema: {
        tags,
        summary: 'Relay a directive down from a node you command, with added instructions (转发)',
        params: idParam,
        body: relayDirectiveBody,
        response: { 201: directiveDetail },
      },
    },
    async (req, reply) => reply.status(201).send(await s.directives.relay(req.ctx, req.params.id, req.body)),
  );

  r.get(
    '/api/cockpit',
    {
      config: { access: 'command.read' },
      schema: {
        tags,
        summary:
          'Live figures of a node per linkage, its children, a grid map metric and the latest escalations',
        querystring: cockpitQuery,
        response: { 200: cockpitResponse },
      },
    },
    async (req) => s.cockpit.figures(req.ctx, req.query),
  );
}
