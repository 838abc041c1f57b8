// Route-matrix cases: command system: incident commands, directives, the cockpit.
import { expect } from 'vitest';
import { type Client } from '../harness.js';
import { type TreeNode } from '../factories.js';
import { isWithin, multipart, scratchChild, userIdOf, withinAny } from '../routes.js';
import {
  TINY_PDF,
  t,
  tree,
  db,
  holdsPermission,
  adminClient,
  OPEN_STATES,
  BELOW,
  probeUser,
  items,
  byNumber,
  pathsOfIds,
  type Ctx,
  type Case,
  type Res,
  inEachState,
} from './driver.js';

export const commandCases: Record<string, Case> = {
  // ------------------------------ command system: incident commands, directives, the cockpit
  // Directives and commands are made by the admin (system_admin at the district) in each call, so
  // that every call aims at a fresh one placed at the target node.
  ...((): Record<string, Case> => {
    const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
    let seq = 0;
    const overlaps = (a: string, b: string) => isWithin(a, b) || isWithin(b, a);
    // Every level a target can be at: a directive to named nodes or a subtree can reach micro-grids too.
    const LEVEL_NAMES = ['town', 'village', 'grid', 'microgrid'] as const;
    type Expect = 'ok' | 'forbidden' | 'fromBelow' | 'badTargets';
    /** What a call aimed at, for the judge of its response. */
    const aims = new WeakMap<
      object,
      { directive?: number; target?: number; command?: number; title?: string; expect?: Expect }
    >();
    const aim = (
      res: Res,
      a: { directive?: number; target?: number; command?: number; title?: string; expect?: Expect },
    ) => {
      aims.set(res, a);
      return res;
    };
    const aimOf = (res: Res) => aims.get(res)!;
    const nodeOf = (r: {
      id: number;
      path: string;
      name: string;
      level: string;
      full_code: string;
    }): TreeNode => ({ id: r.id, path: r.path, name: r.name, level: r.level, fullCode: r.full_code });
    const nodeColumns = ['id', 'path', 'name', 'level', 'full_code'] as const;
    /** An active child of n, none of whose subtree touches `away` (the caller's place) when given; a scratch one when there is none. */
    async function childOf(n: TreeNode, away?: string): Promise<TreeNode> {
      const rows = await db
        .selectFrom('nodes')
        .select(nodeColumns)
        .where('parent_id', '=', n.id)
        .where('retired_at', 'is', null)
        .orderBy('path')
        .execute();
      const c = rows.find((r) => away === undefined || !overlaps(r.path, away));
      return c ? nodeOf(c) : scratchChild(db, n, BELOW[n.level]!);
    }
    async function parentOf(n: TreeNode): Promise<TreeNode | undefined> {
      const row = await db
        .selectFrom('nodes as c')
        .innerJoin('nodes as p', 'p.id', 'c.parent_id')
        .select(['p.id', 'p.path', 'p.name', 'p.level', 'p.full_code'])
        .where('c.id', '=', n.id)
        .executeTakeFirst();
      return row ? nodeOf(row) : undefined;
    }
    /** A directive the admin issues from n to the given nodes, with its targets' ids in the same order. */
    async function directiveAt(n: TreeNode, to: TreeNode[]): Promise<{ id: number; targets: number[] }> {
      const res = await adminClient.post<{ id: number }>('/api/directives', {
        issuerNodeId: n.id,
        title: `矩阵指令${++seq}`,
        body: '矩阵测试',
        targets: { kind: 'nodes', nodeIds: to.map((x) => x.id) },
        signDueAt: inHours(2),
        reportDueAt: inHours(24),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const rows = await db
        .selectFrom('directive_targets')
        .select(['id', 'node_id'])
        .where('directive_id', '=', res.body.id)
        .execute();
      return { id: res.body.id, targets: to.map((x) => rows.find((r) => r.node_id === x.id)!.id) };
    }
    /** A pending target at n, sent by the admin from the node above; none at the district, which is never a target. */
    async function targetAt(n: TreeNode): Promise<{ directive: number; target: number } | undefined> {
      const up = await parentOf(n);
      if (!up) return undefined;
      const d = await directiveAt(up, [n]);
      return { directive: d.id, target: d.targets[0]! };
    }
    const responders = new Map<number, Client>();
    /** Someone who answers for n (a village cadre's role placed at n): signs targets there for the report case. */
    async function responderAt(n: TreeNode): Promise<Client> {
      let c = responders.get(n.id);
      if (!c) {
        c = await t.login((await probeUser(n, 'village_cadre')).username);
        responders.set(n.id, c);
      }
      return c;
    }
    async function commandAt(n: TreeNode): Promise<number> {
      const res = await adminClient.post<{ id: number }>('/api/commands', {
        name: `矩阵指挥部${++seq}`,
        responseLevel: 'III',
        nodeId: n.id,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id;
    }
    // Scope before state: records placed at an outside node in two states each.
    async function commandStates(n: TreeNode) {
      const open = await commandAt(n);
      const closed = await commandAt(n);
      const res = await adminClient.post(`/api/commands/${closed}/close`, { summary: '矩阵总结' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return { open, closed };
    }
    /** Where an outside target's directive targets sit: n itself, or for the district a town away from the caller. */
    const targetNode = async (n: TreeNode, away: string) => (n.level === 'district' ? childOf(n, away) : n);
    /** Two targets at an outside node: one pending, one signed by who answers there. */
    async function targetStates(n: TreeNode, away: string) {
      const at = await targetNode(n, away);
      const pending = (await targetAt(at))!;
      const signed = (await targetAt(at))!;
      const res = await (await responderAt(at)).post(`/api/directive-targets/${signed.target}/sign`, {});
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return { pending, signed };
    }
    /** Two directives issued at n to a child away from the caller: one fresh, one whose target signed. */
    async function directiveStates(n: TreeNode, away: string) {
      const child = await childOf(n, away);
      const fresh = await directiveAt(n, [child]);
      const signed = await directiveAt(n, [child]);
      const res = await (
        await responderAt(child)
      ).post(`/api/directive-targets/${signed.targets[0]}/sign`, {});
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return { fresh: fresh.id, signed: signed.id };
    }
    /** A directive issued at n to a child away from the caller, with one attachment. */
    async function directiveWithFileAt(n: TreeNode, away: string) {
      const up = await adminClient.request<{ token: string }>({
        method: 'POST',
        url: '/api/directive-files',
        ...multipart([
          { name: 'file', filename: '矩阵附件.pdf', data: TINY_PDF, contentType: 'application/pdf' },
        ]),
      });
      expect(up.status, JSON.stringify(up.body)).toBe(201);
      const d = await adminClient.post<{ id: number; files: { id: number }[] }>('/api/directives', {
        issuerNodeId: n.id,
        title: `矩阵附件${++seq}`,
        body: '矩阵测试',
        targets: { kind: 'nodes', nodeIds: [(await childOf(n, away)).id] },
        signDueAt: inHours(2),
        reportDueAt: inHours(24),
        files: [up.body.token],
      });
      expect(d.status, JSON.stringify(d.body)).toBe(201);
      return { id: d.body.id, fileId: d.body.files[0]!.id };
    }
    const targetRow = (id: number) =>
      db.selectFrom('directive_targets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    /** The caller answers for n: assigned at that very node with the permission. */
    const answersAt = async (x: Ctx, n: TreeNode, permission: string) =>
      x.actor.scope().id === n.id && (await holdsPermission(x.c, permission));
    const problem = (res: Res, status: number, label = '') => {
      expect(res.status, `${label} ${JSON.stringify(res.body)}`).toBe(status);
      expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    };
    const inRange = (path: string, under: string) => isWithin(path, under);
    /** Per directive, the state counts a caller at `scope` may see: every target when issued inside it, else the targets inside it. */
    async function visibleDirectives(scope: string) {
      const ds = await db.selectFrom('directives').select(['id', 'issuer_node_path']).execute();
      const ts = await db
        .selectFrom('directive_targets')
        .select(['directive_id', 'node_path', 'state'])
        .execute();
      const byDirective = new Map<number, typeof ts>();
      for (const x of ts)
        (byDirective.get(x.directive_id) ?? byDirective.set(x.directive_id, []).get(x.directive_id)!).push(x);
      const out = new Map<
        number,
        {
          issued: boolean;
          received: boolean;
          counts: { total: number; pending: number; signed: number; reported: number };
        }
      >();
      for (const d of ds) {
        const all = byDirective.get(d.id) ?? [];
        const inside = all.filter((x) => isWithin(x.node_path, scope));
        const issued = isWithin(d.issuer_node_path, scope);
        if (!issued && inside.length === 0) continue;
        const seen = issued ? all : inside;
        const by = (s: string) => seen.filter((x) => x.state === s).length;
        out.set(d.id, {
          issued,
          received: inside.length > 0,
          counts: {
            total: seen.length,
            pending: by('pending'),
            signed: by('signed'),
            reported: by('reported'),
          },
        });
      }
      return out;
    }
    /** The cockpit's figures for n and its children, against direct counts of open events and of directive targets. */
    async function checkCockpit(res: Res, x: Ctx, n: TreeNode) {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      type Figures = {
        eventsOpen: number;
        directivesUnsigned: Record<string, number>;
        directivesUnreported: Record<string, number>;
        directivesOverdue: Record<string, number>;
      };
      const b = res.body as {
        node: { id: number; path: string };
        figures: Figures;
        children: { node: { id: number }; figures: Figures }[];
        map: { metric: string; grids: { id: number; value: number }[] };
      };
      expect(b.node.id).toBe(n.id);
      const kids = await db
        .selectFrom('nodes')
        .select(['id', 'path'])
        .where('parent_id', '=', n.id)
        .where('retired_at', 'is', null)
        .execute();
      expect(b.children.map((c) => c.node.id).sort(byNumber)).toEqual(kids.map((k) => k.id).sort(byNumber));
      // Paths below, by prefix: independent of the production range (dialect.subtreeRange).
      const under = n.path;
      const open = await db
        .selectFrom('events')
        .select('node_path')
        .where('node_path', 'like', `${under}%`)
        .where('state', 'in', OPEN_STATES)
        .execute();
      const targets = await db
        .selectFrom('directive_targets')
        .select(['node_path', 'node_level', 'state', 'overdue'])
        .where('node_path', 'like', `${under}%`)
        .execute();
      const judge = (path: string, f: Figures) => {
        expect(f.eventsOpen, `events open under ${path}`).toBe(
          open.filter((e) => inRange(e.node_path, path)).length,
        );
        for (const level of LEVEL_NAMES) {
          const here = targets.filter((tg) => tg.node_level === level && inRange(tg.node_path, path));
          expect(f.directivesUnsigned[level], `unsigned ${level} under ${path}`).toBe(
            here.filter((tg) => tg.state === 'pending').length,
          );
          expect(f.directivesUnreported[level], `unreported ${level} under ${path}`).toBe(
            here.filter((tg) => tg.state === 'signed').length,
          );
          expect(f.directivesOverdue[level], `overdue ${level} under ${path}`).toBe(
            here.filter((tg) => Number(tg.overdue) === 1).length,
          );
        }
      };
      judge(n.path, b.figures);
      for (const c of b.children) judge(kids.find((k) => k.id === c.node.id)!.path, c.figures);
      // The map: exactly the active grids of the subtree, each with its open events or its targets not reported back.
      const mapValue = (path: string) =>
        b.map.metric === 'eventsOpen'
          ? open.filter((e) => inRange(e.node_path, path)).length
          : targets.filter(
              (tg) =>
                (LEVEL_NAMES as readonly string[]).includes(tg.node_level) &&
                tg.state !== 'reported' &&
                inRange(tg.node_path, path),
            ).length;
      expect(['eventsOpen', 'directivesPending']).toContain(b.map.metric);
      const grids = await db
        .selectFrom('nodes')
        .select(['id', 'path'])
        .where('level', '=', 'grid')
        .where('retired_at', 'is', null)
        .where('path', 'like', `${under}%`)
        .execute();
      expect(b.map.grids.map((g) => g.id).sort(byNumber)).toEqual(grids.map((g) => g.id).sort(byNumber));
      for (const g of b.map.grids) {
        const path = grids.find((x2) => x2.id === g.id)!.path;
        expect(withinAny(path, [x.actor.scope().path]), path).toBe(true);
        expect(g.value, `${b.map.metric} on the map at ${path}`).toBe(mapValue(path));
      }
    }

    return {
      'GET /api/commands': {
        wholeCast: true,
        list: {
          call: async ({ actor, c }) => {
            // One at the caller's place, one above it (it covers them) and one elsewhere.
            const scope = actor.scope();
            await commandAt(scope);
            const up = await parentOf(scope);
            if (up) {
              await commandAt(up);
              await commandAt(await childOf(up, scope.path));
            }
            return c.get('/api/commands');
          },
          check: async (res, { actor, c }) => {
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            const scope = actor.scope().path;
            const all = await db
              .selectFrom('incident_commands')
              .select(['id', 'node_path', 'closed_at'])
              .execute();
            // Open ones first, then the latest closed, 200 at most (the matrix makes more than that).
            const inScope = all.filter((x) => overlaps(x.node_path, scope));
            const want = [...inScope]
              .sort(
                (a, b) =>
                  Number(a.closed_at !== null) - Number(b.closed_at !== null) ||
                  (b.closed_at ?? '').localeCompare(a.closed_at ?? '') ||
                  b.id - a.id,
              )
              .slice(0, 200);
            expect((items(res) as { id: number }[]).map((x) => x.id).sort(byNumber)).toEqual(
              want.map((x) => x.id).sort(byNumber),
            );
            const open = await c.get<{ items: { id: number; closedAt: string | null }[] }>(
              '/api/commands?open=true',
            );
            expect(open.status).toBe(200);
            expect(open.body.items.map((x) => x.id).sort(byNumber)).toEqual(
              inScope
                .filter((x) => x.closed_at === null)
                .map((x) => x.id)
                .sort(byNumber),
            );
          },
        },
      },
      'POST /api/commands': {
        wholeCast: true,
        node: {
          call: async ({ c }, n) => {
            const title = `矩阵新指挥部${++seq}`;
            return [
              aim(await c.post('/api/commands', { name: title, responseLevel: 'II', nodeId: n.id }), {
                title,
              }),
            ];
          },
          inside: (res, _x, n) => {
            expect(res.status, JSON.stringify(res.body)).toBe(201);
            expect(res.body).toMatchObject({
              name: aimOf(res).title,
              node: { id: n.id },
              closedAt: null,
              abilities: { close: true },
            });
          },
          outside: async (res) => {
            problem(res, 403);
            expect(
              await db
                .selectFrom('incident_commands')
                .select('id')
                .where('name', '=', aimOf(res).title!)
                .executeTakeFirst(),
            ).toBeUndefined();
          },
        },
      },
      'GET /api/commands/:id': {
        states: async ({ c }, n) => inEachState(await commandStates(n), (id) => c.get(`/api/commands/${id}`)),
        wholeCast: true,
        node: {
          call: async ({ c }, n) => {
            const id = await commandAt(n);
            return [aim(await c.get(`/api/commands/${id}`), { command: id })];
          },
          inside: (res, _x, n) => {
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            expect(res.body).toMatchObject({ id: aimOf(res).command, node: { id: n.id } });
          },
          // A command over a place above the caller covers them: readable, not closable. Elsewhere: 403.
          outside: (res, { actor }, n) => {
            if (!isWithin(actor.scope().path, n.path)) return problem(res, 403);
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            expect(res.body).toMatchObject({
              id: aimOf(res).command,
              node: { id: n.id },
              abilities: { close: false },
            });
          },
        },
      },
      'POST /api/commands/:id/close': {
        states: async ({ c }, n) =>
          inEachState(await commandStates(n), (id) =>
            c.post(`/api/commands/${id}/close`, { summary: '矩阵总结' }),
          ),
        wholeCast: true,
        node: {
          call: async ({ c }, n) => {
            const id = await commandAt(n);
            return [aim(await c.post(`/api/commands/${id}/close`, { summary: '矩阵总结' }), { command: id })];
          },
          inside: async (res) => {
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            expect((res.body as { closedAt: string | null }).closedAt).not.toBeNull();
            const row = await db
              .selectFrom('incident_commands')
              .select(['closed_at', 'summary'])
              .where('id', '=', aimOf(res).command!)
              .executeTakeFirstOrThrow();
            expect(row.summary).toBe('矩阵总结');
          },
          outside: async (res) => {
            problem(res, 403);
            const row = await db
              .selectFrom('incident_commands')
              .select(['closed_at', 'summary'])
              .where('id', '=', aimOf(res).command!)
              .executeTakeFirstOrThrow();
            expect(row).toEqual({ closed_at: null, summary: null });
          },
        },
      },
      'GET /api/directives': {
        wholeCast: true,
        list: {
          call: async ({ actor, c }) => {
            // Issued at the caller's place, sent to it from above, and sent from above elsewhere.
            const scope = actor.scope();
            await directiveAt(scope, [await childOf(scope)]);
            const up = await parentOf(scope);
            if (up) {
              await directiveAt(up, [scope]);
              await directiveAt(up, [await childOf(up, scope.path)]);
            }
            return c.get('/api/directives?pageSize=200');
          },
          check: async (res, { actor, c }) => {
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            const want = await visibleDirectives(actor.scope().path);
            const body = res.body as {
              items: {
                id: number;
                counts: { total: number; pending: number; signed: number; reported: number };
              }[];
              total: number;
            };
            expect(body.total).toBe(want.size);
            const ids = [...want.keys()].sort((a, b) => b - a).slice(0, 200);
            expect(body.items.map((d) => d.id)).toEqual(ids);
            for (const d of body.items)
              expect(d.counts, `counts of directive ${d.id}`).toMatchObject(want.get(d.id)!.counts);
            for (const box of ['issued', 'received'] as const) {
              const r = await c.get<{ items: { id: number }[]; total: number }>(
                `/api/directives?box=${box}&pageSize=200`,
              );
              expect(r.status).toBe(200);
              const boxed = [...want].filter(([, v]) => v[box]).map(([id]) => id);
              expect(r.body.total, box).toBe(boxed.length);
              expect(
                r.body.items.map((d) => d.id),
                box,
              ).toEqual(boxed.sort((a, b) => b - a).slice(0, 200));
            }
          },
        },
      },
      'POST /api/directives': {
        wholeCast: true,
        node: {
          call: async ({ c, actor }, n, where) => {
            const send = async (issuer: TreeNode, to: TreeNode, expect: Expect) => {
              const title = `矩阵下达${++seq}`;
              const res = await c.post('/api/directives', {
                issuerNodeId: issuer.id,
                title,
                body: '矩阵测试',
                targets: { kind: 'nodes', nodeIds: [to.id] },
                signDueAt: inHours(2),
                reportDueAt: inHours(24),
              });
              return aim(res, { title, expect });
            };
            if (where === 'inside') return [await send(n, await childOf(n), 'ok')];
            // Outside: issued from the foreign node, or from the caller's own node down to the foreign one.
            return [
              await send(n, await childOf(n, actor.scope().path), 'forbidden'),
              await send(actor.scope(), n, 'badTargets'),
            ];
          },
          inside: (res, _x, n) => {
            expect(res.status, JSON.stringify(res.body)).toBe(201);
            expect(res.body).toMatchObject({
              title: aimOf(res).title,
              issuer: { id: n.id },
              counts: { total: 1, pending: 1 },
            });
          },
          outside: async (res) => {
            const a = aimOf(res);
            if (a.expect === 'forbidden') problem(res, 403);
            else {
              problem(res, 400);
              expect((res.body as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
                'body.targets.nodeIds.0',
              ]);
            }
            expect(
              await db.selectFrom('directives').select('id').where('title', '=', a.title!).executeTakeFirst(),
            ).toBeUndefined();
          },
        },
      },
      'GET /api/directives/tasks': {
        unscoped: 'the caller’s own tasks: targets at the very nodes they are assigned to',
        wholeCast: true,
        check: async ({ c, actor }) => {
          const scope = actor.scope();
          const mine = await targetAt(scope);
          const up = await parentOf(scope);
          const theirs = up ? (await directiveAt(up, [await childOf(up, scope.path)])).targets[0] : undefined;
          const res = await c.get<{ items: { id: number; node: { id: number }; actions: string[] }[] }>(
            '/api/directives/tasks',
          );
          expect(res.status).toBe(200);
          const respond = await holdsPermission(c, 'directives.respond');
          const issue = await holdsPermission(c, 'directives.issue');
          const open = await db
            .selectFrom('directive_targets')
            .selectAll()
            .where('node_id', '=', scope.id)
            .where('state', '<>', 'reported')
            .execute();
          const want = open.filter(
            (x) =>
              (respond && (x.state === 'pending' || x.state === 'signed')) ||
              (issue && x.relay_id === null && x.node_level !== 'grid' && x.node_level !== 'microgrid'),
          );
          expect(res.body.items.map((x) => x.id).sort(byNumber)).toEqual(
            want.map((x) => x.id).sort(byNumber),
          );
          for (const x of res.body.items) expect(x.node.id).toBe(scope.id);
          if (mine) expect(res.body.items.map((x) => x.id)).toContain(mine.target);
          if (theirs) expect(res.body.items.map((x) => x.id)).not.toContain(theirs);
        },
      },
      'POST /api/directives/sweep': {
        unscoped: 'the sweep touches every directive: only a district-root holder of command.manage runs it',
        wholeCast: true,
        check: async ({ c, actor }) => {
          const late = (await targetAt(tree.grids[7]!))!.target;
          await db
            .updateTable('directive_targets')
            .set({ sign_due_at: new Date(Date.now() - 3_600_000).toISOString() })
            .where('id', '=', late)
            .execute();
          const res = await c.post<{ escalated: number }>('/api/directives/sweep');
          const row = await targetRow(late);
          if (actor.scope().level === 'district' && (await holdsPermission(c, 'command.manage'))) {
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            expect(res.body.escalated).toBeGreaterThanOrEqual(1);
            expect(row.sign_escalated_at).not.toBeNull();
            expect(Number(row.overdue)).toBe(1);
            return;
          }
          problem(res, 403);
          expect(row.sign_escalated_at).toBeNull();
          expect(Number(row.overdue)).toBe(0);
          // Put it past reach of later sweeps' counts: the district sweeps it in its own turn.
        },
      },
      'GET /api/directives/:id': {
        states: async ({ c, actor }, n) =>
          inEachState(await directiveStates(n, actor.scope().path), (id) => c.get(`/api/directives/${id}`)),
        wholeCast: true,
        node: {
          call: async ({ c, actor }, n, where) => {
            if (where === 'inside') {
              const d = await directiveAt(n, [await childOf(n)]);
              return [aim(await c.get(`/api/directives/${d.id}`), { directive: d.id })];
            }
            const scope = actor.scope();
            const d = await directiveAt(n, [await childOf(n, scope.path)]);
            const out = [
              aim(await c.get(`/api/directives/${d.id}`), { directive: d.id, expect: 'forbidden' }),
            ];
            // From above to the caller's place and elsewhere: readable, counting the caller's target only.
            if (isWithin(scope.path, n.path) && scope.id !== n.id) {
              const r = await directiveAt(n, [scope, await childOf(n, scope.path)]);
              out.push(aim(await c.get(`/api/directives/${r.id}`), { directive: r.id, expect: 'fromBelow' }));
            }
            return out;
          },
          inside: (res, _x, n) => {
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            expect(res.body).toMatchObject({
              id: aimOf(res).directive,
              issuer: { id: n.id },
              counts: { total: 1 },
            });
          },
          outside: (res) => {
            const a = aimOf(res);
            if (a.expect === 'forbidden') return problem(res, 403, `directive ${a.directive}`);
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            expect(res.body).toMatchObject({ id: a.directive, counts: { total: 1 } });
          },
        },
      },
      'GET /api/directives/:id/board': {
        states: async ({ c, actor }, n) =>
          inEachState(await directiveStates(n, actor.scope().path), (id) =>
            c.get(`/api/directives/${id}/board`),
          ),
        wholeCast: true,
        node: {
          call: async ({ c, actor }, n, where) => {
            if (where === 'inside') {
              const d = await directiveAt(n, [await childOf(n)]);
              return [aim(await c.get(`/api/directives/${d.id}/board`), { directive: d.id })];
            }
            const scope = actor.scope();
            const d = await directiveAt(n, [await childOf(n, scope.path)]);
            const out = [
              aim(await c.get(`/api/directives/${d.id}/board`), { directive: d.id, expect: 'forbidden' }),
            ];
            // The caller's own directive, seen from the foreign node: refused.
            const own = await directiveAt(scope, [await childOf(scope)]);
            out.push(
              aim(await c.get(`/api/directives/${own.id}/board?node=${n.id}`), {
                directive: own.id,
                expect: 'forbidden',
              }),
            );
            // From above to the caller's place and elsewhere: the board from the caller's place, their target only.
            if (isWithin(scope.path, n.path) && scope.id !== n.id) {
              const r = await directiveAt(n, [scope, await childOf(n, scope.path)]);
              out.push(
                aim(await c.get(`/api/directives/${r.id}/board`), { directive: r.id, expect: 'fromBelow' }),
              );
            }
            return out;
          },
          inside: async (res, { actor }, n) => {
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            const b = res.body as {
              directive: { id: number };
              node: { id: number };
              levels: { total: number }[];
              targets: { node: { id: number } }[];
              children: { node: { id: number } }[];
            };
            expect(b.directive.id).toBe(aimOf(res).directive);
            expect(b.node.id).toBe(n.id);
            expect(b.targets).toHaveLength(1);
            expect(b.levels.reduce((s, l) => s + l.total, 0)).toBe(1);
            expect(
              [...b.targets, ...b.children].map((x) => x.node.id).length,
              'an empty list proves nothing',
            ).toBeGreaterThan(0);
            for (const p of await pathsOfIds([...b.targets, ...b.children].map((x) => x.node.id)))
              expect(withinAny(p, [actor.scope().path]), p).toBe(true);
          },
          outside: async (res, { actor }) => {
            const a = aimOf(res);
            if (a.expect === 'forbidden') return problem(res, 403, `board of directive ${a.directive}`);
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            const b = res.body as {
              directive: { id: number; counts: { total: number } };
              node: { id: number };
              levels: { total: number }[];
              targets: { node: { id: number } }[];
              children: { node: { id: number } }[];
            };
            expect(b.directive).toMatchObject({ id: a.directive, counts: { total: 1 } });
            expect(b.node.id).toBe(actor.scope().id);
            expect(b.targets.map((x) => x.node.id)).toEqual([actor.scope().id]);
            expect(b.levels.reduce((s, l) => s + l.total, 0)).toBe(1);
            expect(
              [...b.targets, ...b.children].map((x) => x.node.id).length,
              'an empty list proves nothing',
            ).toBeGreaterThan(0);
            for (const p of await pathsOfIds([...b.targets, ...b.children].map((x) => x.node.id)))
              expect(withinAny(p, [actor.scope().path]), p).toBe(true);
          },
        },
      },
      'POST /api/directives/:id/remind': {
        states: async ({ c, actor }, n) =>
          inEachState(await directiveStates(n, actor.scope().path), (id) =>
            c.post(`/api/directives/${id}/remind`, {}),
          ),
        wholeCast: true,
        node: {
          call: async ({ c, actor }, n, where) => {
            const d = await directiveAt(n, [
              await childOf(n, where === 'outside' ? actor.scope().path : undefined),
            ]);
            return [
              aim(await c.post(`/api/directives/${d.id}/remind`, {}), {
                directive: d.id,
                target: d.targets[0]!,
              }),
            ];
          },
          inside: async (res) => {
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            expect((res.body as { reminded: number }).reminded).toBe(1);
            expect((await targetRow(aimOf(res).target!)).reminded_at).not.toBeNull();
          },
          outside: async (res) => {
            problem(res, 403);
            expect((await targetRow(aimOf(res).target!)).reminded_at).toBeNull();
          },
        },
      },
      // Signing for, reporting on and relaying a target: only who is assigned at its very node.
      'POST /api/directive-targets/:id/sign': {
        states: async ({ c, actor }, n) =>
          inEachState(await targetStates(n, actor.scope().path), (tg) =>
            c.post(`/api/directive-targets/${tg.target}/sign`, { note: '矩阵签收' }),
          ),
        wholeCast: true,
        node: {
          call: async ({ c }, n) => {
            const tg = await targetAt(n);
            return tg
              ? [
                  aim(await c.post(`/api/directive-targets/${tg.target}/sign`, { note: '矩阵签收' }), {
                    target: tg.target,
                  }),
                ]
              : [];
          },
          inside: async (res, x, n) => {
            const row = await targetRow(aimOf(res).target!);
            if (!(await answersAt(x, n, 'directives.respond'))) {
              problem(res, 403);
              return expect([row.state, row.signed_at]).toEqual(['pending', null]);
            }
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            expect([row.state, row.signed_by_user_id]).toEqual(['signed', await userIdOf(db, x.actor.name)]);
          },
          outside: async (res) => {
            problem(res, 403);
            const row = await targetRow(aimOf(res).target!);
            expect([row.state, row.signed_at]).toEqual(['pending', null]);
          },
        },
      },
      'POST /api/directive-targets/:id/report': {
        states: async ({ c, actor }, n) =>
          inEachState(await targetStates(n, actor.scope().path), (tg) =>
            c.post(`/api/directive-targets/${tg.target}/report`, { text: '矩阵反馈', figures: { 户数: 3 } }),
          ),
        wholeCast: true,
        node: {
          call: async ({ c }, n) => {
            const tg = await targetAt(n);
            if (!tg) return [];
            expect(
              (await (await responderAt(n)).post(`/api/directive-targets/${tg.target}/sign`, {})).status,
            ).toBe(200);
            return [
              aim(
                await c.post(`/api/directive-targets/${tg.target}/report`, {
                  text: '矩阵反馈',
                  figures: { 户数: 3 },
                }),
                { target: tg.target },
              ),
            ];
          },
          inside: async (res, x, n) => {
            const row = await targetRow(aimOf(res).target!);
            if (!(await answersAt(x, n, 'directives.respond'))) {
              problem(res, 403);
              return expect([row.state, row.reported_at, row.report_text]).toEqual(['signed', null, null]);
            }
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            expect([row.state, row.report_text, JSON.parse(row.report_figures!)]).toEqual([
              'reported',
              '矩阵反馈',
              { 户数: 3 },
            ]);
          },
          outside: async (res) => {
            problem(res, 403);
            const row = await targetRow(aimOf(res).target!);
            expect([row.state, row.reported_at, row.report_text]).toEqual(['signed', null, null]);
          },
        },
      },
      // Relaying from a target's node: only who commands at its very node.
      'POST /api/directives/:id/relay': {
        states: async ({ c, actor }, n) => {
          const mine = actor.scope();
          const below = await childOf(mine);
          return inEachState(await directiveStates(n, mine.path), (id) =>
            c.post(`/api/directives/${id}/relay`, {
              nodeId: mine.id,
              instructions: '矩阵转发',
              targets: { kind: 'nodes', nodeIds: [below.id] },
              signDueAt: inHours(1),
              reportDueAt: inHours(20),
            }),
          );
        },
        wholeCast: true,
        node: {
          call: async ({ c }, n) => {
            const tg = await targetAt(n);
            if (!tg) return [];
            const res = await c.post(`/api/directives/${tg.directive}/relay`, {
              nodeId: n.id,
              instructions: '矩阵转发',
              targets: { kind: 'nodes', nodeIds: [(await childOf(n)).id] },
              signDueAt: inHours(1),
              reportDueAt: inHours(20),
            });
            return [aim(res, { directive: tg.directive, target: tg.target })];
          },
          inside: async (res, x, n) => {
            const a = aimOf(res);
            const row = await targetRow(a.target!);
            const relays = await db
              .selectFrom('directives')
              .select('id')
              .where('parent_id', '=', a.directive!)
              .execute();
            if (!(await answersAt(x, n, 'directives.issue'))) {
              problem(res, 403);
              expect(relays).toEqual([]);
              return expect([row.state, row.relay_id]).toEqual(['pending', null]);
            }
            expect(res.status, JSON.stringify(res.body)).toBe(201);
            const b = res.body as { id: number; parentId: number; issuer: { id: number } };
            expect(b).toMatchObject({ parentId: a.directive, issuer: { id: n.id } });
            expect(relays.map((r) => r.id)).toEqual([b.id]);
            expect([row.state, row.relay_id]).toEqual(['signed', b.id]);
          },
          outside: async (res) => {
            problem(res, 403);
            const a = aimOf(res);
            expect(
              await db.selectFrom('directives').select('id').where('parent_id', '=', a.directive!).execute(),
            ).toEqual([]);
            const row = await targetRow(a.target!);
            expect([row.state, row.relay_id]).toEqual(['pending', null]);
          },
        },
      },
      'GET /api/cockpit': {
        wholeCast: true,
        list: {
          call: ({ c }) => c.get('/api/cockpit'),
          // Without ?node= the cockpit shows the caller's own place.
          check: (res, x) => checkCockpit(res, x, x.actor.scope()),
        },
        node: {
          call: async ({ c }, n) => {
            // Something to count below the node: a directive to one of its children.
            await directiveAt(n, [await childOf(n)]);
            return [
              await c.get(`/api/cockpit?node=${n.id}`),
              await c.get(`/api/cockpit?node=${n.id}&metric=directivesPending`),
            ];
          },
          inside: (res, x, n) => checkCockpit(res, x, n),
        },
      },
      // Attachments: uploaded by anyone who issues or answers directives; downloaded through a directive
      // the caller may read, a report-back's only by whose jurisdiction holds its node (or the issuer).
      'POST /api/directive-files': {
        unscoped:
          'holds an upload for the caller; claiming it is scoped by the directive or report-back that uses it',
        wholeCast: true,
        check: async ({ c }) => {
          const res = await c.request<{ token: string; name: string; mime: string }>({
            method: 'POST',
            url: '/api/directive-files',
            ...multipart([
              { name: 'file', filename: '../矩阵.pdf', data: TINY_PDF, contentType: 'application/pdf' },
            ]),
          });
          const mayUpload =
            (await holdsPermission(c, 'directives.issue')) ||
            (await holdsPermission(c, 'directives.respond'));
          if (!mayUpload) return problem(res, 403);
          expect(res.status, JSON.stringify(res.body)).toBe(201);
          expect(res.body).toMatchObject({ name: '矩阵.pdf', mime: 'application/pdf' });
          expect(res.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        },
      },
      'GET /api/directives/:id/files/:fileId': {
        // The directive's own attachment, and another directive's asked through it.
        states: async ({ c, actor }, n) => {
          const withFile = await directiveWithFileAt(n, actor.scope().path);
          const other = await directiveAt(n, [await childOf(n, actor.scope().path)]);
          return inEachState(
            { own: [withFile.id, withFile.fileId], notItsFile: [other.id, withFile.fileId] },
            ([d, f]) => c.get(`/api/directives/${d}/files/${f}`),
          );
        },
        wholeCast: true,
        node: {
          call: async ({ c, actor }, n, where) => {
            const scope = actor.scope();
            const uploadBy = async (u: Client) => {
              const up = await u.request<{ token: string }>({
                method: 'POST',
                url: '/api/directive-files',
                ...multipart([
                  { name: 'file', filename: '矩阵附件.pdf', data: TINY_PDF, contentType: 'application/pdf' },
                ]),
              });
              expect(up.status, JSON.stringify(up.body)).toBe(201);
              return up.body.token;
            };
            /** A report-back with a file at the target, by who answers for its node. */
            const reportFile = async (target: number, at: TreeNode) => {
              const r = await responderAt(at);
              expect((await r.post(`/api/directive-targets/${target}/sign`, {})).status).toBe(200);
              const rep = await r.post<{ myTargets: { id: number; files: { id: number }[] }[] }>(
                `/api/directive-targets/${target}/report`,
                { text: '矩阵反馈', files: [await uploadBy(r)] },
              );
              expect(rep.status, JSON.stringify(rep.body)).toBe(200);
              return rep.body.myTargets.find((x) => x.id === target)!.files[0]!.id;
            };
            // The directive's own attachment, issued at n.
            const d = await adminClient.post<{ id: number; files: { id: number }[] }>('/api/directives', {
              issuerNodeId: n.id,
              title: `矩阵附件${++seq}`,
              body: '矩阵测试',
              targets: {
                kind: 'nodes',
                nodeIds: [(await childOf(n, where === 'outside' ? scope.path : undefined)).id],
              },
              signDueAt: inHours(2),
              reportDueAt: inHours(24),
              files: [await uploadBy(adminClient)],
            });
            expect(d.status, JSON.stringify(d.body)).toBe(201);
            const out = [
              aim(await c.get(`/api/directives/${d.body.id}/files/${d.body.files[0]!.id}`), {
                directive: d.body.id,
              }),
            ];
            // A report-back's attachment at n, sent from the node above.
            const tg = await targetAt(n);
            if (tg)
              out.push(
                aim(await c.get(`/api/directives/${tg.directive}/files/${await reportFile(tg.target, n)}`), {
                  directive: tg.directive,
                }),
              );
            // The same directive went to the caller's place too: readable, but another place's report-back is not.
            const up = await parentOf(n);
            if (where === 'outside' && up && scope.id !== up.id && isWithin(scope.path, up.path)) {
              const both = await directiveAt(up, [n, scope]);
              out.push(
                aim(
                  await c.get(`/api/directives/${both.id}/files/${await reportFile(both.targets[0]!, n)}`),
                  { directive: both.id, expect: 'fromBelow' },
                ),
              );
            }
            return out;
          },
          inside: (res) => {
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            expect(res.headers['content-type']).toBe('application/pdf');
            expect(res.headers['content-disposition']).toContain(
              `filename*=UTF-8''${encodeURIComponent('矩阵附件.pdf')}`,
            );
            expect(res.raw.rawPayload.equals(TINY_PDF)).toBe(true);
          },
          outside: (res) =>
            problem(
              res,
              403,
              `file of directive ${aimOf(res).directive} (${aimOf(res).expect ?? 'outside'})`,
            ),
        },
      },
    };
  })(),
};
