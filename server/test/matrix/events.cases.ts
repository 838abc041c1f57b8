// Route-matrix cases: events (joint handling).
import { expect } from 'vitest';
import { isWithin, multipart, userIdOf, withinAny } from '../routes.js';
import {
  TINY_PNG,
  t,
  db,
  tree,
  countUnder,
  holdsPermission,
  adminClient,
  seq,
  lastEventId,
  categoryId,
  eventAt,
  handledEventAt,
  eventPhones,
  eventWithPhoneAt,
  revealAudits,
  revealedOn,
  departmentAt,
  departmentWithMember,
  membersOf,
  eventRow,
  historyLength,
  type Aim,
  actedOn,
  addedTo,
  TRIAGE_STATES,
  notifyDirect,
  freshDay,
  kpiWindow,
  type KpiBody,
  isDistrictAdmin,
  checkEventExport,
  pointAt,
  checkEventPoints,
  probeUser,
  items,
  byNumber,
  pathsOfIds,
  type Case,
  type Res,
  inEachState,
  eventStates,
  eventWithPhotoAt,
  departmentStates,
  aboveGrid,
} from './driver.js';

export const eventsCases: Record<string, Case> = {
  // ------------------------------ events (joint handling)
  // These run for the whole cast. Events are reported by the district admin at the target node.
  'POST /api/events': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [
        await c.post('/api/events', {
          categoryId: categoryId('environment.garbage'),
          title: `矩阵上报${++seq.event}`,
          description: '矩阵测试',
          nodeId: n.id,
        }),
      ],
      inside: async (res, { actor }, n) => {
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        const e = (res.body as { event: { id: number; node: { id: number }; state: string } }).event;
        expect(e).toMatchObject({ node: { id: n.id }, state: 'reported' });
        expect(withinAny((await eventRow(e.id)).node_path, [actor.scope().path])).toBe(true);
      },
      // Refused, and nothing was written.
      outside: async (res) => {
        expect(res.status).toBe(403);
        expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
        const title = `矩阵上报${seq.event}`;
        expect(
          await db.selectFrom('events').select('id').where('title', '=', title).executeTakeFirst(),
        ).toBeUndefined();
      },
    },
  },
  'GET /api/events': {
    wholeCast: true,
    list: {
      call: ({ c }) => c.get('/api/events?pageSize=200'),
      check: async (res, { actor }) => {
        expect(res.status).toBe(200);
        const list = items(res) as { id: number; node: { id: number } }[];
        expect(list.length).toBeGreaterThan(0);
        for (const p of await pathsOfIds(list.map((i) => i.node.id)))
          expect(withinAny(p, [actor.scope().path]), p).toBe(true);
        const total = (res.body as { total: number }).total;
        expect(total).toBe(await countUnder('events', actor.scope().path));
        // Paths below, by prefix: independent of the production range (dialect.subtreeRange).
        const under = actor.scope().path;
        const ids = await db
          .selectFrom('events')
          .select('id')
          .where('node_path', 'like', `${under}%`)
          .execute();
        if (total <= 200)
          expect(list.map((i) => i.id).sort(byNumber)).toEqual(ids.map((r) => r.id).sort(byNumber));
      },
    },
    node: {
      call: async ({ c }, n) => [await c.get(`/api/events?node=${n.id}&pageSize=200`)],
      inside: async (res, { actor }, n) => {
        expect(res.status).toBe(200);
        const list = items(res) as { node: { id: number } }[];
        expect(list.length, 'an empty list proves nothing').toBeGreaterThan(0);
        for (const p of await pathsOfIds(list.map((i) => i.node.id))) {
          expect(p.startsWith(n.path), p).toBe(true);
          expect(withinAny(p, [actor.scope().path]), p).toBe(true);
        }
        expect((res.body as { total: number }).total).toBe(await countUnder('events', n.path));
      },
    },
  },
  'GET /api/events/tasks': {
    wholeCast: true,
    list: {
      call: ({ c }) => c.get('/api/events/tasks'),
      // Exactly: triage where the caller owns, verification in their grids (no cast member is in a department).
      check: async (res, { actor, c }) => {
        expect(res.status).toBe(200);
        const got = (items(res) as { id: number }[]).map((i) => i.id).sort(byNumber);
        const triage = await holdsPermission(c, 'events.triage');
        const verify = await holdsPermission(c, 'events.verify');
        const scope = actor.scope().path;
        const rows = await db
          .selectFrom('events')
          .select(['id', 'node_path', 'owner_path', 'state'])
          .execute();
        const expected = rows
          .filter(
            (e) =>
              isWithin(e.node_path, scope) &&
              ((triage && isWithin(e.owner_path, scope) && TRIAGE_STATES.includes(e.state)) ||
                (verify && e.state === 'handled')),
          )
          .map((e) => e.id)
          .sort(byNumber);
        if (expected.length < 200) expect(got).toEqual(expected);
        else for (const id of got) expect(expected).toContain(id);
        if (triage || verify) expect(got.length).toBeGreaterThan(0);
      },
    },
  },
  'GET /api/events/kpis': {
    wholeCast: true,
    // Without ?node= the KPIs are of the caller's own root; every event under it was received today.
    list: {
      call: ({ c }) => c.get(`/api/events/kpis?${kpiWindow()}`),
      check: async (res, { actor }) => {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const b = res.body as KpiBody;
        expect(b.node.id).toBe(actor.scope().id);
        expect(b.figures.received).toBe(await countUnder('events', actor.scope().path));
      },
    },
    node: {
      call: async ({ c }, n) => [await c.get(`/api/events/kpis?node=${n.id}&${kpiWindow()}`)],
      inside: async (res, _x, n) => {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const b = res.body as KpiBody;
        expect(b.node.id).toBe(n.id);
        expect(b.figures.received).toBe(await countUnder('events', n.path));
        // The drill-down is n's own children, each counting only its subtree.
        const children = await db
          .selectFrom('nodes')
          .select(['id', 'path'])
          .where('parent_id', '=', n.id)
          .where('retired_at', 'is', null)
          .execute();
        expect(b.children.map((x) => x.node.id).sort(byNumber)).toEqual(
          children.map((x) => x.id).sort(byNumber),
        );
        for (const child of children)
          expect(b.children.find((x) => x.node.id === child.id)!.figures.received).toBe(
            await countUnder('events', child.path),
          );
      },
    },
  },
  'POST /api/events/export': {
    wholeCast: true,
    list: {
      call: ({ c }) => c.post('/api/events/export', {}),
      check: (res, { actor }) => checkEventExport(res, actor.scope().path),
    },
    node: {
      call: async ({ c }, n) => [await c.post('/api/events/export', { node: n.id })],
      inside: (res, _x, n) => checkEventExport(res, n.path),
    },
  },
  'GET /api/events/points': {
    wholeCast: true,
    list: {
      call: async ({ c, actor }) => {
        await pointAt(actor.scope());
        return c.get('/api/events/points');
      },
      check: (res, { actor }) => checkEventPoints(res, actor.scope().path),
    },
    node: {
      call: async ({ c }, n) => {
        await pointAt(n);
        return [await c.get(`/api/events/points?node=${n.id}`)];
      },
      inside: (res, _x, n) => checkEventPoints(res, n.path),
    },
  },
  'GET /api/events/:id': {
    states: async ({ c }, n) => inEachState(await eventStates(n), (id) => c.get(`/api/events/${id}`)),
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [await c.get(`/api/events/${await eventAt(n)}`)],
      inside: async (res, { c }, n) => {
        expect(res.status).toBe(200);
        const b = res.body as { id: number; node: { id: number }; actions: string[] };
        expect(b).toMatchObject({ id: lastEventId, node: { id: n.id } });
        // The actions offered follow the caller's roles: filing only for who triages (the event is owned at n).
        expect(b.actions.includes('accept')).toBe(await holdsPermission(c, 'events.triage'));
      },
    },
  },
  'POST /api/events/:id/reveal-reporter-phone': {
    // With a phone, without one, and handled: 403 before 409 (event.no_phone).
    states: async ({ c }, n) =>
      inEachState({ withPhone: await eventWithPhoneAt(n), ...(await eventStates(n)) }, (id) =>
        c.post(`/api/events/${id}/reveal-reporter-phone`, { reason: '矩阵回访' }),
      ),
    wholeCast: true,
    node: {
      call: async ({ c }, n) => {
        const id = await eventWithPhoneAt(n);
        const audits = await revealAudits(id);
        const res = await c.post(`/api/events/${id}/reveal-reporter-phone`, { reason: '矩阵回访' });
        revealedOn.set(res, { id, audits });
        return [res];
      },
      // Inside: the clear phone and one audit row for who holds events.reveal (the grid worker does not).
      inside: async (res, { c }) => {
        const aim = revealedOn.get(res)!;
        if (await holdsPermission(c, 'events.reveal')) {
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          expect(res.body).toEqual({ phone: `+86${eventPhones.get(aim.id)}` });
          expect(await revealAudits(aim.id)).toBe(aim.audits + 1);
        } else {
          expect(res.status, JSON.stringify(res.body)).toBe(403);
          expect(await revealAudits(aim.id)).toBe(aim.audits);
        }
      },
      outside: async (res) => {
        const aim = revealedOn.get(res)!;
        expect(res.status, JSON.stringify(res.body)).toBe(403);
        expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
        // The request id is a random UUID: four digits of a phone can turn up in it by chance.
        const { requestId: _requestId, ...problemBody } = res.body as { requestId?: string };
        expect(JSON.stringify(problemBody)).not.toContain(eventPhones.get(aim.id)!.slice(-4));
        expect(await revealAudits(aim.id)).toBe(aim.audits);
      },
    },
  },
  'POST /api/event-photos': {
    unscoped: 'holds an upload for the caller; claiming it is scoped by the report or step that uses it',
    wholeCast: true,
    check: async ({ c }) => {
      const res = await c.request<{ token: string }>({
        method: 'POST',
        url: '/api/event-photos',
        ...multipart([{ name: 'file', filename: 'p.png', data: TINY_PNG, contentType: 'image/png' }]),
      });
      const mayUpload = (
        await Promise.all(
          ['events.report', 'events.handle', 'events.verify'].map((p) => holdsPermission(c, p)),
        )
      ).some(Boolean);
      if (!mayUpload) return expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    },
  },
  'GET /api/events/:id/photos/:photoId': {
    // The event's own photo, and another event's photo asked through it.
    states: async ({ c }, n) => {
      const withPhoto = await eventWithPhotoAt(n);
      const other = await eventAt(n);
      return inEachState(
        { own: [withPhoto.id, withPhoto.photoId], notItsPhoto: [other, withPhoto.photoId] },
        ([e, p]) => c.get(`/api/events/${e}/photos/${p}`),
      );
    },
    wholeCast: true,
    node: {
      call: async ({ c }, n) => {
        const up = await adminClient.request<{ token: string }>({
          method: 'POST',
          url: '/api/event-photos',
          ...multipart([{ name: 'file', filename: 'p.png', data: TINY_PNG, contentType: 'image/png' }]),
        });
        const res = await adminClient.post<{
          event: { id: number; history: { photos: { id: number }[] }[] };
        }>('/api/events', {
          categoryId: categoryId('environment.garbage'),
          title: `矩阵照片${++seq.event}`,
          description: '矩阵测试',
          nodeId: n.id,
          photos: [up.body.token],
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        const photoId = res.body.event.history[0]!.photos[0]!.id;
        return [await c.get(`/api/events/${res.body.event.id}/photos/${photoId}`)];
      },
      inside: (res) => {
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('image/png');
        expect(res.raw.rawPayload.equals(TINY_PNG)).toBe(true);
      },
      outside: (res) => {
        expect(res.status).toBe(403);
        expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
      },
    },
  },
  'POST /api/events/:id/actions': {
    // Accepting is allowed for a reported event and not for a handled one: 403 before 409.
    states: async ({ c }, n) =>
      inEachState(await eventStates(n), (id) => c.post(`/api/events/${id}/actions`, { action: 'accept' })),
    wholeCast: true,
    node: {
      call: async ({ c }, n, where) => {
        const out: Res[] = [];
        const send = async (
          id: number,
          body: Record<string, unknown>,
          need: Pick<Aim, 'permission' | 'at' | 'to'>,
        ) => {
          const from = (await eventRow(id)).state;
          const history = await historyLength(id);
          const res = await c.post(`/api/events/${id}/actions`, body);
          actedOn.set(res, { id, from, history, ...need });
          out.push(res);
        };
        // Filing is triage where the event is owned: a grid-level category is owned at n, a town-level
        // one by the town above n (out of a village cadre's hands even inside the village).
        for (const category of ['environment.garbage', 'environment.sewage']) {
          const id = await eventAt(n, category);
          const triage = { permission: 'events.triage', at: 'owner_path', to: 'accepted' } as const;
          await send(id, { action: 'accept' }, triage);
          // Outside: closing it is refused as well.
          if (where === 'outside')
            await send(
              id,
              { action: 'close', closeReason: 'cancelled', reason: '矩阵' },
              { ...triage, to: 'closed' },
            );
        }
        // Verification is for whoever verifies where the event lies.
        const handled = await handledEventAt(n);
        await send(
          handled,
          { action: 'verify_pass' },
          { permission: 'events.verify', at: 'node_path', to: 'closed' },
        );
        return out;
      },
      inside: async (res, { actor, c }) => {
        const aim = actedOn.get(res)!;
        const e = await eventRow(aim.id);
        if ((await holdsPermission(c, aim.permission)) && isWithin(e[aim.at], actor.scope().path)) {
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          expect((res.body as { state: string }).state).toBe(aim.to);
          expect(e.state).toBe(aim.to);
          expect(await historyLength(aim.id)).toBe(aim.history + 1);
        } else {
          expect(res.status, JSON.stringify(res.body)).toBe(403);
          expect(e.state).toBe(aim.from);
          expect(await historyLength(aim.id)).toBe(aim.history);
        }
      },
      // Refused whatever the action, and the event is as it was.
      outside: async (res) => {
        const aim = actedOn.get(res)!;
        expect(res.status, JSON.stringify(res.body)).toBe(403);
        expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
        expect((await eventRow(aim.id)).state).toBe(aim.from);
        expect(await historyLength(aim.id)).toBe(aim.history);
      },
    },
  },
  'POST /api/events/sweep': {
    unscoped: 'escalates past-due events district-wide; only a district-root administrator runs it',
    wholeCast: true,
    check: async ({ c, actor }) => {
      // An event of its own, past its deadline: the sweep must escalate it (and nobody else's call may).
      const id = await eventAt(tree.grids[4]!);
      await db
        .updateTable('events')
        .set({ due_at: '2000-01-01T00:00:00.000Z' })
        .where('id', '=', id)
        .execute();
      const before = await eventRow(id);
      const history = await historyLength(id);
      const res = await c.post<{ escalated: number }>('/api/events/sweep');
      if (!isDistrictAdmin(actor)) {
        expect(res.status, JSON.stringify(res.body)).toBe(403);
        expect(await eventRow(id)).toEqual(before);
        return expect(await historyLength(id)).toBe(history);
      }
      expect(res.status).toBe(200);
      expect(res.body.escalated).toBeGreaterThanOrEqual(1);
      expect((await eventRow(id)).owner_path).not.toBe(before.owner_path);
      expect(await historyLength(id)).toBe(history + 1);
    },
  },
  'GET /api/public/event-categories': {
    unscoped: 'public: the categories a resident may report',
    check: async () => {
      const res = await t.anon().get('/api/public/event-categories');
      expect(res.status).toBe(200);
      const list = items(res) as {
        code: string;
        isPublic: boolean;
        retired: boolean;
        parentId: number | null;
      }[];
      expect(list.map((x) => x.code)).toContain('environment.garbage');
      // Police leads and other staff-only sub-categories are not offered.
      expect(list.map((x) => x.code)).not.toContain('security.suspicious');
      for (const x of list) {
        expect(x.retired, x.code).toBe(false);
        if (x.parentId !== null) expect(x.isPublic, x.code).toBe(true);
      }
    },
  },
  'GET /api/public/places/at': {
    unscoped: 'public: the grid a point lies in, named before the resident sends the report',
    check: async () => {
      const anon = t.anon();
      // Every test grid has the same square; a point inside is placed in one of them, as the intake does.
      const inside = await anon.get<{ place: Record<string, unknown> | null }>(
        '/api/public/places/at?lat=30.205&lng=119.705',
      );
      expect(inside.status, JSON.stringify(inside.body)).toBe(200);
      expect(Object.keys(inside.body.place ?? {}).sort()).toEqual(['id', 'level', 'name', 'path']);
      expect(inside.body.place).toMatchObject({ level: 'grid' });
      const grid = tree.grids.find((g) => g.id === inside.body.place!.id)!;
      expect(inside.body.place!.name).toBe(grid.name);
      expect(inside.body.place!.path).toHaveLength(3);
      const report = await anon.post<{ trackingCode: string }>('/api/public/events', {
        categoryId: categoryId('environment.garbage'),
        description: '矩阵预览',
        lat: 30.205,
        lng: 119.705,
      });
      expect(report.status).toBe(201);
      const placed = await db
        .selectFrom('events')
        .select('node_id')
        .where('tracking_code', '=', report.body.trackingCode)
        .executeTakeFirstOrThrow();
      expect(placed.node_id).toBe(grid.id);
      // Outside every grid: said so, nothing guessed.
      expect((await anon.get('/api/public/places/at?lat=0&lng=0')).body).toEqual({ place: null });
      for (const url of [
        '/api/public/places/at?lat=91&lng=0',
        '/api/public/places/at?lat=1e1&lng=0',
        '/api/public/places/at?lat=30',
      ]) {
        const bad = await anon.get(url);
        expect(bad.status, url).toBe(400);
        expect(String(bad.headers['content-type'])).toMatch(/^application\/problem\+json/);
      }
    },
  },
  'POST /api/public/events': {
    unscoped: 'public: the resident’s report form',
    check: async ({ actor }) => {
      const anon = t.anon();
      const ok = await anon.post<{ trackingCode: string }>('/api/public/events', {
        categoryId: categoryId('environment.garbage'),
        description: '矩阵群众上报',
        nodeId: actor.scope().id,
        name: '王先生',
        phone: '13812345678',
      });
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      // A tracking code and nothing else: no id, no owner, no name.
      expect(Object.keys(ok.body)).toEqual(['trackingCode']);
      const bad = await anon.post('/api/public/events', {
        categoryId: categoryId('security.suspicious'),
        description: '非公开类别',
        nodeId: actor.scope().id,
      });
      expect(bad.status).toBe(400);
    },
  },
  'POST /api/public/event-photos': {
    unscoped: 'public: a photo for the resident’s report form, claimable only by a report without login',
    check: async () => {
      const anon = t.anon();
      const ok = await anon.request<{ token: string }>({
        method: 'POST',
        url: '/api/public/event-photos',
        ...multipart([{ name: 'file', filename: 'p.png', data: TINY_PNG, contentType: 'image/png' }]),
      });
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      const bad = await anon.request({
        method: 'POST',
        url: '/api/public/event-photos',
        ...multipart([
          {
            name: 'file',
            filename: 'p.png',
            data: Buffer.from('<script>alert(1)</script>'),
            contentType: 'image/png',
          },
        ]),
      });
      expect(bad.status).toBe(400);
    },
  },
  'GET /api/public/events/:code': {
    stateless: 'the tracking code is the resident’s credential; the route is public',
    unscoped: 'public: tracking by code, without personal data',
    check: async ({ actor }) => {
      const anon = t.anon();
      const pub = await anon.post<{ trackingCode: string }>('/api/public/events', {
        categoryId: categoryId('environment.garbage'),
        description: '矩阵跟踪',
        nodeId: actor.scope().id,
        name: '李女士',
        phone: '13912345678',
      });
      const res = await anon.get(`/api/public/events/${pub.body.trackingCode}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ trackingCode: pub.body.trackingCode, state: 'reported' });
      for (const secret of ['李女士', '5678', actor.scope().name])
        expect(JSON.stringify(res.body)).not.toContain(secret);
      expect((await anon.get('/api/public/events/LAZZZZZZZZZZ')).status).toBe(404);
    },
  },
  'POST /api/public/events/:code/evaluation': {
    stateless: 'the tracking code is the resident’s credential; the route is public',
    unscoped: 'public: the resident rates a closed report by its code',
    check: async ({ actor }) => {
      const anon = t.anon();
      expect(
        (await anon.post('/api/public/events/LAZZZZZZZZZZ/evaluation', { satisfied: true })).status,
      ).toBe(404);
      const pub = await anon.post<{ trackingCode: string }>('/api/public/events', {
        categoryId: categoryId('environment.garbage'),
        description: '矩阵评价',
        nodeId: actor.scope().id,
      });
      const code = pub.body.trackingCode;
      const url = `/api/public/events/${code}/evaluation`;
      // Not closed yet: nothing to rate.
      expect((await anon.post(url, { satisfied: true })).status).toBe(409);
      const { id } = await db
        .selectFrom('events')
        .select('id')
        .where('tracking_code', '=', code)
        .executeTakeFirstOrThrow();
      const closed = await adminClient.post(`/api/events/${id}/actions`, {
        action: 'close',
        closeReason: 'cancelled',
        reason: '矩阵',
      });
      expect(closed.status).toBe(200);
      const rated = await anon.post(url, { satisfied: true });
      expect(rated.status).toBe(200);
      expect(rated.body).toMatchObject({ state: 'evaluated', abilities: { evaluate: false } });
      // A staff report is not rated from the public page.
      const staff = await db
        .selectFrom('events')
        .select('tracking_code')
        .where('id', '=', await eventAt(actor.scope()))
        .executeTakeFirstOrThrow();
      expect(
        (await anon.post(`/api/public/events/${staff.tracking_code}/evaluation`, { satisfied: true })).status,
      ).toBe(409);
    },
  },
  'GET /api/event-categories': { unscoped: 'the district-wide category taxonomy' },
  'POST /api/event-categories': {
    unscoped: 'categories are district-wide; only a district-root administrator adds them',
    wholeCast: true,
    check: async ({ c, actor }) => {
      const code = `matrix${++seq.probe}`;
      const res = await c.post('/api/event-categories', {
        parentId: null,
        code,
        nameZh: '矩阵',
        nameEn: 'Matrix',
      });
      const row = await db
        .selectFrom('event_categories')
        .select('id')
        .where('code', '=', code)
        .executeTakeFirst();
      if (!isDistrictAdmin(actor)) {
        expect(res.status).toBe(403);
        return expect(row).toBeUndefined();
      }
      expect(res.status).toBe(201);
      expect(row).toBeDefined();
    },
  },
  'PATCH /api/event-categories/:id': {
    stateless: 'categories are district-wide; only a district-root administrator edits them',
    unscoped: 'categories are district-wide; only a district-root administrator edits them',
    wholeCast: true,
    check: async ({ c, actor }) => {
      const id = categoryId('environment.garbage');
      const before = await db
        .selectFrom('event_categories')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      if (!isDistrictAdmin(actor)) {
        expect((await c.patch(`/api/event-categories/${id}`, { nameEn: 'Hijacked' })).status).toBe(403);
        expect((await c.patch(`/api/event-categories/${id}`, { retired: true })).status).toBe(403);
        expect((await c.patch(`/api/event-categories/${id}`, { handleHours: 1 })).status).toBe(403);
        const after = await db
          .selectFrom('event_categories')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        return expect(after).toEqual(before);
      }
      // The admin edits a category of their own, not one the other cases report with.
      const made = await c.post<{ id: number }>('/api/event-categories', {
        parentId: null,
        code: `matrix${++seq.probe}`,
        nameZh: '矩阵',
        nameEn: 'Matrix',
      });
      const res = await c.patch(`/api/event-categories/${made.body.id}`, { nameEn: 'Edited' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: made.body.id, nameEn: 'Edited' });
    },
  },
  'GET /api/departments': {
    wholeCast: true,
    // Whoever dispatches (events.triage) or manages departments sees those in their jurisdiction; others none.
    list: {
      call: ({ c }) => c.get('/api/departments'),
      check: async (res, { actor, c }) => {
        expect(res.status).toBe(200);
        const sees =
          (await holdsPermission(c, 'events.triage')) || (await holdsPermission(c, 'departments.manage'));
        const rows = await db.selectFrom('departments').select(['id', 'node_path']).execute();
        const expected = sees
          ? rows.filter((d) => isWithin(d.node_path, actor.scope().path)).map((d) => d.id)
          : [];
        expect((items(res) as { id: number }[]).map((d) => d.id).sort(byNumber)).toEqual(
          expected.sort(byNumber),
        );
      },
    },
    // With ?node=: the departments serving the place (at it or above it, wherever) and those below it.
    node: {
      call: async ({ c }, n) => [await c.get(`/api/departments?node=${n.id}`)],
      inside: async (res, { c }, n) => {
        if (!(await holdsPermission(c, 'events.triage')) && !(await holdsPermission(c, 'departments.manage')))
          return expect(res.body).toMatchObject({ status: 403, code: 'forbidden' });
        expect(res.status).toBe(200);
        const rows = await db.selectFrom('departments').select(['id', 'node_path']).execute();
        const expected = rows
          .filter((d) => isWithin(n.path, d.node_path) || isWithin(d.node_path, n.path))
          .map((d) => d.id);
        expect((items(res) as { id: number }[]).map((d) => d.id).sort(byNumber)).toEqual(
          expected.sort(byNumber),
        );
      },
    },
  },
  'POST /api/departments': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [
        await c.post('/api/departments', {
          nodeId: n.id,
          kind: 'police',
          name: `矩阵新部门${++seq.department}`,
        }),
      ],
      inside: (res, _x, n) => {
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        expect(res.body).toMatchObject({ node: { id: n.id }, kind: 'police', members: [] });
      },
      outside: async (res) => {
        expect(res.status).toBe(403);
        expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
        const name = `矩阵新部门${seq.department}`;
        expect(
          await db.selectFrom('departments').select('id').where('name', '=', name).executeTakeFirst(),
        ).toBeUndefined();
      },
    },
  },
  'PATCH /api/departments/:id': {
    states: async ({ c }, n) =>
      inEachState(await departmentStates(n), (id) =>
        c.patch(`/api/departments/${id}`, { name: 'renamed by matrix' }),
      ),
    wholeCast: true,
    node: {
      call: async ({ c }, n, where) => {
        const id = await departmentAt(n);
        const name = `矩阵部门${seq.department}`;
        const out = [await c.patch(`/api/departments/${id}`, { name: 'renamed by matrix' })];
        if (where === 'inside') return out;
        // Outside: retiring it is refused as well, and the department is as it was.
        out.push(await c.patch(`/api/departments/${id}`, { retired: true }));
        const row = await db
          .selectFrom('departments')
          .select(['name', 'retired_at'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        expect(row).toEqual({ name, retired_at: null });
        return out;
      },
      inside: (res) => {
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ name: 'renamed by matrix', retired: false });
      },
    },
  },
  'POST /api/departments/:id/members': {
    states: async ({ c, actor }, n) => {
      const mine = await probeUser(actor.scope(), 'department_handler');
      return inEachState(await departmentStates(n), (id) =>
        c.post(`/api/departments/${id}/members`, { userId: mine.id }),
      );
    },
    wholeCast: true,
    node: {
      call: async ({ c, actor }, n, where) => {
        const id = await departmentAt(n);
        const user = await probeUser(n, 'department_handler');
        const res = await c.post(`/api/departments/${id}/members`, { userId: user.id });
        addedTo.set(res, { departmentId: id, userId: user.id });
        if (where === 'inside') return [res];
        // Outside: also pull the foreign user into a department of the caller's own.
        const own = await departmentAt(actor.scope());
        const pulled = await c.post(`/api/departments/${own}/members`, { userId: user.id });
        addedTo.set(pulled, { departmentId: own, userId: user.id });
        return [res, pulled];
      },
      inside: async (res) => {
        expect(res.status).toBe(201);
        const { departmentId, userId } = addedTo.get(res)!;
        expect((res.body as { members: { id: number }[] }).members.map((m) => m.id)).toEqual([userId]);
        expect(await membersOf(departmentId)).toEqual([userId]);
      },
      // Refused: 403, or 400 as for an unknown user (the answer must not name someone the caller
      // cannot see); and nobody was added.
      outside: async (res) => {
        expect([400, 403], JSON.stringify(res.body)).toContain(res.status);
        expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
        const { departmentId, userId } = addedTo.get(res)!;
        expect(await membersOf(departmentId)).not.toContain(userId);
      },
    },
  },
  'DELETE /api/departments/:id/members/:userId': {
    // A member, and someone who is not one.
    states: async ({ c }, n) => {
      const d = await departmentWithMember(await aboveGrid(n));
      const stranger = await probeUser(n, 'department_handler');
      return inEachState({ member: d.userId, notAMember: stranger.id }, (u) =>
        c.delete(`/api/departments/${d.id}/members/${u}`),
      );
    },
    wholeCast: true,
    node: {
      call: async ({ c }, n, where) => {
        const d = await departmentWithMember(n);
        const out = [await c.delete(`/api/departments/${d.id}/members/${d.userId}`)];
        if (where === 'outside') expect(await membersOf(d.id)).toEqual([d.userId]);
        return out;
      },
      inside: (res) => {
        expect(res.status).toBe(200);
        expect((res.body as { members: unknown[] }).members).toEqual([]);
      },
    },
  },
  'GET /api/work-calendar': { unscoped: 'the district-wide work calendar' },
  'PUT /api/work-calendar/:day': {
    stateless: 'the work calendar is district-wide; a day names no placed record',
    unscoped: 'the work calendar is district-wide; only a district-root administrator edits it',
    wholeCast: true,
    check: async ({ c, actor }) => {
      const day = freshDay();
      const res = await c.put(`/api/work-calendar/${day}`, { kind: 'holiday', name: '矩阵假日' });
      const row = await db
        .selectFrom('work_calendar_days')
        .select('day')
        .where('day', '=', day)
        .executeTakeFirst();
      if (!isDistrictAdmin(actor)) {
        expect(res.status).toBe(403);
        return expect(row).toBeUndefined();
      }
      expect(res.status).toBe(200);
      expect(row).toBeDefined();
    },
  },
  'DELETE /api/work-calendar/:day': {
    stateless: 'the work calendar is district-wide; a day names no placed record',
    unscoped: 'the work calendar is district-wide; only a district-root administrator edits it',
    wholeCast: true,
    check: async ({ c, actor }) => {
      const day = freshDay();
      await db
        .insertInto('work_calendar_days')
        .values({ day, kind: 'workday', name: '矩阵调休', created_at: new Date().toISOString() })
        .execute();
      const res = await c.delete(`/api/work-calendar/${day}`);
      const row = await db
        .selectFrom('work_calendar_days')
        .select('day')
        .where('day', '=', day)
        .executeTakeFirst();
      if (!isDistrictAdmin(actor)) {
        expect(res.status).toBe(403);
        return expect(row).toBeDefined();
      }
      expect(res.status).toBe(200);
      expect(row).toBeUndefined();
    },
  },
  // Open311 keys: district-wide; only a district-root administrator sees, issues or revokes them.
  'GET /api/open311-keys': {
    unscoped: 'Open311 keys are district-wide; only a district-root administrator lists them',
    wholeCast: true,
    check: async ({ c, actor }) => {
      const res = await c.get('/api/open311-keys');
      if (!isDistrictAdmin(actor)) return expect(res.status).toBe(403);
      expect(res.status).toBe(200);
      const count = Number(
        (
          await db
            .selectFrom('open311_keys')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      expect(items(res)).toHaveLength(count);
      // Hashes and keys never leave the server.
      for (const k of items(res))
        expect(Object.keys(k as object).sort()).toEqual([
          'createdAt',
          'createdBy',
          'id',
          'lastUsedAt',
          'name',
          'prefix',
          'revokedAt',
        ]);
    },
  },
  'POST /api/open311-keys': {
    unscoped: 'Open311 keys are district-wide; only a district-root administrator issues them',
    wholeCast: true,
    check: async ({ c, actor }) => {
      const name = `matrix key ${++seq.probe}`;
      const res = await c.post<{ key?: string }>('/api/open311-keys', { name });
      const row = await db
        .selectFrom('open311_keys')
        .select('id')
        .where('name', '=', name)
        .executeTakeFirst();
      if (!isDistrictAdmin(actor)) {
        expect(res.status).toBe(403);
        return expect(row).toBeUndefined();
      }
      expect(res.status).toBe(201);
      expect(res.body.key).toMatch(/\S{16,}/);
      expect(row).toBeDefined();
    },
  },
  'DELETE /api/open311-keys/:id': {
    stateless: 'Open311 keys are district-wide; only a district-root administrator revokes them',
    unscoped: 'Open311 keys are district-wide; only a district-root administrator revokes them',
    wholeCast: true,
    check: async ({ c, actor }) => {
      const made = await adminClient.post<{ id: number }>('/api/open311-keys', {
        name: `matrix revoke ${++seq.probe}`,
      });
      expect(made.status).toBe(201);
      const res = await c.delete(`/api/open311-keys/${made.body.id}`);
      const row = await db
        .selectFrom('open311_keys')
        .select('revoked_at')
        .where('id', '=', made.body.id)
        .executeTakeFirstOrThrow();
      if (!isDistrictAdmin(actor)) {
        expect(res.status).toBe(403);
        return expect(row.revoked_at).toBeNull();
      }
      expect(res.status).toBe(200);
      expect(row.revoked_at).not.toBeNull();
    },
  },
  'GET /api/notifications': {
    unscoped: 'the caller’s own notifications',
    wholeCast: true,
    check: async ({ c, actor }) => {
      const me = await userIdOf(db, actor.name);
      const mine = await notifyDirect(me, '矩阵通知');
      const theirs = await notifyDirect(
        await userIdOf(db, actor.name === 'admin' ? 'commander' : 'admin'),
        '别人的通知',
      );
      const res = await c.get('/api/notifications');
      expect(res.status).toBe(200);
      const ids = (items(res) as { id: number }[]).map((n) => n.id);
      expect(ids).toContain(mine);
      expect(ids).not.toContain(theirs);
      const owners = await db.selectFrom('notifications').select('user_id').where('id', 'in', ids).execute();
      expect(owners.every((o) => o.user_id === me)).toBe(true);
    },
  },
};
