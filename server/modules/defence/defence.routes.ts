// The joint defence module's HTTP face for checkpoints and duty rosters: thin handlers over
// rosters.service.ts, each route declaring its permission (common/permissions.ts).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  assignBody,
  checkInResponse,
  checkOutResponse,
  checkpoint,
  commandCheckpointStatusBody,
  coverageQuery,
  coverageResponse,
  createCheckpointBody,
  generateShiftsBody,
  generateShiftsResponse,
  listCheckpointsQuery,
  listSwapsQuery,
  myShiftsResponse,
  patternBody,
  shiftAssignment,
  shiftPlaceBody,
  shiftUserParams,
  swapDecisionBody,
  swapRequestBody,
  swapView,
  updateCheckpointBody,
} from '../../../common/contracts/defence.js';
import { idParam, listOf, okResponse } from '../../../common/contracts/shared.js';
import type { RostersService } from './rosters.service.js';

export function defenceRoutes(app: FastifyInstance, s: { rosters: RostersService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['defence'];

  r.get(
    '/api/checkpoints',
    {
      config: { access: 'checkpoints.read' },
      schema: {
        tags,
        summary: 'Checkpoints and guard posts in your jurisdiction; ?node= narrows',
        querystring: listCheckpointsQuery,
        response: { 200: listOf(checkpoint) },
      },
    },
    async (req) =>
      s.rosters.listCheckpoints(req.ctx, {
        ...(req.query.node !== undefined ? { nodeId: req.query.node } : {}),
        ...(req.query.command !== undefined ? { commandId: req.query.command } : {}),
        ...(req.query.status !== undefined ? { status: req.query.status } : {}),
      }),
  );
  r.post(
    '/api/checkpoints',
    {
      config: { access: 'checkpoints.manage' },
      schema: {
        tags,
        summary: 'Set up a checkpoint or guard post at a node',
        body: createCheckpointBody,
        response: { 201: checkpoint },
      },
    },
    async (req, reply) => reply.status(201).send(await s.rosters.createCheckpoint(req.ctx, req.body)),
  );
  r.get(
    '/api/checkpoints/:id',
    {
      config: { access: 'checkpoints.read' },
      schema: { tags, summary: 'One checkpoint', params: idParam, response: { 200: checkpoint } },
    },
    async (req) => s.rosters.getCheckpoint(req.ctx, req.params.id),
  );
  r.patch(
    '/api/checkpoints/:id',
    {
      config: { access: 'checkpoints.manage' },
      schema: {
        tags,
        summary: 'Change a checkpoint: name, type, place, command, status, staffing or lead',
        params: idParam,
        body: updateCheckpointBody,
        response: { 200: checkpoint },
      },
    },
    async (req) => s.rosters.updateCheckpoint(req.ctx, req.params.id, req.body),
  );
  r.post(
    '/api/commands/:id/checkpoints/status',
    {
      config: { access: 'checkpoints.manage' },
      schema: {
        tags,
        summary: "Open, suspend or close a command's checkpoints at once (those named, or all)",
        params: idParam,
        body: commandCheckpointStatusBody,
        response: { 200: listOf(checkpoint) },
      },
    },
    async (req) => s.rosters.setStatusUnderCommand(req.ctx, req.params.id, req.body),
  );
  r.put(
    '/api/checkpoints/:id/pattern',
    {
      config: { access: 'rosters.manage' },
      schema: {
        tags,
        summary: "Set a checkpoint's shift pattern (3 × 8 h, 2 × 12 h or custom)",
        params: idParam,
        body: patternBody,
        response: { 200: okResponse },
      },
    },
    async (req) => {
      await s.rosters.setPattern(req.ctx, req.params.id, req.body.pattern);
      return { ok: true as const };
    },
  );
  r.post(
    '/api/checkpoints/:id/shifts/generate',
    {
      config: { access: 'rosters.manage' },
      schema: {
        tags,
        summary: "Generate a checkpoint's shifts for the duty days from..to from its pattern",
        params: idParam,
        body: generateShiftsBody,
        response: { 200: generateShiftsResponse },
      },
    },
    async (req) => s.rosters.generateShifts(req.ctx, req.params.id, req.body),
  );
  r.get(
    '/api/rosters/coverage',
    {
      config: { access: 'checkpoints.read' },
      schema: {
        tags,
        summary: 'The roster grid of a checkpoint or a subtree: shifts, people, gaps and no-shows',
        querystring: coverageQuery,
        response: { 200: coverageResponse },
      },
    },
    async (req) =>
      s.rosters.coverage(req.ctx, {
        from: req.query.from,
        to: req.query.to,
        ...(req.query.checkpointId !== undefined ? { checkpointId: req.query.checkpointId } : {}),
        ...(req.query.node !== undefined ? { nodeId: req.query.node } : {}),
      }),
  );
  r.post(
    '/api/shifts/:id/assignments',
    {
      config: { access: 'rosters.manage' },
      schema: {
        tags,
        summary: 'Put a person on a shift',
        params: idParam,
        body: assignBody,
        response: { 201: shiftAssignment },
      },
    },
    async (req, reply) => {
      await s.rosters.assign(req.ctx, req.params.id, req.body);
      return reply.status(201).send({ shiftId: req.params.id, ...req.body });
    },
  );
  r.delete(
    '/api/shifts/:id/assignments/:userId',
    {
      config: { access: 'rosters.manage' },
      schema: {
        tags,
        summary: 'Take a person off a shift they have not checked in to',
        params: shiftUserParams,
        response: { 200: okResponse },
      },
    },
    async (req) => {
      await s.rosters.unassign(req.ctx, req.params.id, req.params.userId);
      return { ok: true as const };
    },
  );
  r.post(
    '/api/shifts/:id/check-in',
    {
      config: { access: 'shifts.check_in' },
      schema: {
        tags,
        summary: 'Check in to your shift, within the window around its start, with your place',
        params: idParam,
        body: shiftPlaceBody,
        response: { 200: checkInResponse },
      },
    },
    async (req) => s.rosters.checkIn(req.ctx, req.params.id, req.body),
  );
  r.post(
    '/api/shifts/:id/check-out',
    {
      config: { access: 'shifts.check_in' },
      schema: {
        tags,
        summary: 'Check out of the shift you checked in to, with your place',
        params: idParam,
        body: shiftPlaceBody,
        response: { 200: checkOutResponse },
      },
    },
    async (req) => s.rosters.checkOut(req.ctx, req.params.id, req.body),
  );
  r.get(
    '/api/shifts/mine',
    {
      config: { access: 'shifts.check_in' },
      schema: {
        tags,
        summary: 'Your shift now (may you check in, and why not) and your shifts of the next 7 days',
        response: { 200: myShiftsResponse },
      },
    },
    async (req) => s.rosters.mine(req.ctx),
  );
  r.post(
    '/api/shifts/:id/swaps',
    {
      config: { access: 'shifts.check_in' },
      schema: {
        tags,
        summary: 'Ask the lead to hand your place on a shift to someone, trade it, or open it up',
        params: idParam,
        body: swapRequestBody,
        response: { 201: swapView },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await s.rosters.requestSwap(req.ctx, req.params.id, req.body)),
  );
  r.get(
    '/api/swaps',
    {
      // Your own requests need only shifts.check_in, the others checkpoints.read: the service decides.
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: "Swap requests: a checkpoint's (?checkpointId=), a subtree's (?node=) or your own (?mine=1)",
        querystring: listSwapsQuery,
        response: { 200: listOf(swapView) },
      },
    },
    async (req) =>
      s.rosters.listSwaps(req.ctx, {
        ...(req.query.checkpointId !== undefined ? { checkpointId: req.query.checkpointId } : {}),
        ...(req.query.node !== undefined ? { nodeId: req.query.node } : {}),
        ...(req.query.mine !== undefined ? { mine: true } : {}),
        ...(req.query.status !== undefined ? { status: req.query.status } : {}),
      }),
  );
  r.post(
    '/api/swaps/:id/decision',
    {
      // The checkpoint's lead or a roster manager over it: the service decides.
      config: { access: 'checkpoints.read' },
      schema: {
        tags,
        summary: 'Approve or refuse a swap request (the lead of the checkpoint, or a roster manager)',
        params: idParam,
        body: swapDecisionBody,
        response: { 200: swapView },
      },
    },
    async (req) => s.rosters.decideSwap(req.ctx, req.params.id, req.body),
  );
}
