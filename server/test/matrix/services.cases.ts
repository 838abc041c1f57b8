// Route-matrix cases: joint services (服务联办). The admin places every record through the API where
// the API places it (organisations, volunteers, call-outs, service requests, invitations); states
// the API reaches only through a volunteer's own steps (a request accepted, done with its photo, a
// roster entry overdue, hours credited) are set straight in the database. Volunteers are placed at
// the target node (their home); a request and a roster entry at a person in a grid at or under it.
//
// A call expected to go through gets a record of its own; a call expected to be refused is aimed at
// the node's stock, placed once, and every refused call is shown to have changed nothing. The cast
// hold their permissions at the root of their scope, so holding one is holding it everywhere inside.
//
// The cast hold no volunteer's role: what only a volunteer does (answering a call-out, taking a task
// given them, visiting the residents assigned to them, reading their own record and tasks) is the
// exception the service makes to scope, and each such route's `check` places a volunteer with an
// account at the caller's place and shows them reaching their own records and nobody else's.
import { expect } from 'vitest';
import type {
  CalloutView,
  RosterEntryView,
  ServiceRequestView,
  SignupView,
  VolunteerOrgView,
  VolunteerView,
} from '../../../common/contracts/services.js';
import { XLSX_MIME } from '../../platform/tabular.js';
import { makeUser, type TreeNode } from '../factories.js';
import type { Client } from '../harness.js';
import { insertPerson, isWithin, multipart, nthIdNumber, nthPhone, toCsv } from '../routes.js';
import {
  adminClient,
  aimed,
  aims,
  answer,
  db,
  everywhere,
  gridAt,
  inEachState,
  items,
  may,
  ok,
  onRecord,
  pathsOfIds,
  personAt,
  refused,
  shanghaiToday,
  stockOnce,
  t,
  TINY_PNG,
  tree,
  type Case,
  type Ctx,
  type OnRecord,
  type Res,
} from './driver.js';

const manages = (x: Ctx) => may(x.c, 'volunteers.manage');
const posts = (x: Ctx) => may(x.c, 'callouts.post');
const assigns = (x: Ctx) => may(x.c, 'services.assign');
const raisesOrAssigns = async (x: Ctx) => (await may(x.c, 'service_requests.raise')) || (await assigns(x));

/** Promises made once per key (per node and state): the stock. */
const once = stockOnce();
let serial = 0;
const NO_SUCH_TOKEN = 'A'.repeat(43);
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

// ---------------------------------------------------------------------------------------------
// Organisations, volunteers and the volunteers with an account who do what only a volunteer does.

async function orgAt(n: TreeNode): Promise<number> {
  const o = await answer(
    adminClient.post<VolunteerOrgView>('/api/services/orgs', {
      kind: 'ngo',
      name: `矩阵志愿队${++serial}`,
      nodeId: n.id,
    }),
    201,
  );
  return o.id;
}
interface Volunteer {
  id: number;
  name: string;
  node: TreeNode;
  /** Their own client, when they have an account (a volunteer's role at their home). */
  client?: Client;
}
/** A volunteer living at n, registered by the admin; with an account (role volunteer at n) when asked. */
async function volunteerAt(n: TreeNode, opts: { account?: boolean; skills?: string[] } = {}) {
  const k = ++serial;
  const name = `矩阵志愿者${k}`;
  const v = await answer(
    adminClient.post<VolunteerView>('/api/services/volunteers', {
      nodeId: n.id,
      name,
      idNumber: nthIdNumber(k, '330121'),
      phone: nthPhone(k, '151'),
      consent: true,
      skills: opts.skills ?? ['companionship'],
    }),
    201,
  );
  const out: Volunteer = { id: v.id, name, node: n };
  if (opts.account) {
    const username = `mvol${k}`;
    const userId = await makeUser(db, username, [{ role: 'volunteer', node: n }]);
    await db.updateTable('volunteers').set({ user_id: userId }).where('id', '=', v.id).execute();
    out.client = await t.login(username);
  }
  return out;
}
/**
 * Volunteers with an account at n, placed once per node and slot: the checks of every route share
 * them (each check works on records of its own), so the matrix does not fill a place with accounts.
 */
const accountAt = (n: TreeNode, slot: 'v' | 'w' = 'v') =>
  once(`account ${slot} ${n.id}`, () => volunteerAt(n, { account: true }));
/** The volunteer with an account whom requests are given to and roster entries assigned: placed once. */
const matrixVolunteer = () => once('volunteer', () => volunteerAt(tree.grids[7]!, { account: true }));
const orgStock = (n: TreeNode) => once(`org ${n.id}`, () => orgAt(n));
const volunteerRow = (id: number) =>
  db.selectFrom('volunteers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const volunteerStates = (n: TreeNode) => once(`volunteer states ${n.id}`, () => placeVolunteerStates(n));
async function placeVolunteerStates(n: TreeNode) {
  const active = await volunteerAt(n);
  const paused = await volunteerAt(n);
  const left = await volunteerAt(n);
  ok(await adminClient.patch(`/api/services/volunteers/${paused.id}`, { status: 'paused' }));
  ok(await adminClient.patch(`/api/services/volunteers/${left.id}`, { status: 'left' }));
  return { active, paused, left };
}
const stockVolunteer = (n: TreeNode) => once(`volunteer ${n.id}`, () => volunteerAt(n));

// ---------------------------------------------------------------------------------------------
// Call-outs.

interface Callout {
  id: number;
  title: string;
}
/** A call-out at n: starting in a day (withdrawn, cancelled before it starts) or now (checked in on site). */
async function calloutAt(
  n: TreeNode,
  opts: { now?: boolean; days?: number; capacity?: number; skills?: string[] } = {},
): Promise<Callout> {
  const title = `矩阵召集${++serial}`;
  const start = opts.now ? -5 : (opts.days ?? 1) * 24 * 60;
  const v = await answer(
    adminClient.post<CalloutView>('/api/callouts', {
      nodeId: n.id,
      title,
      meetingPoint: '村委会门口',
      startsAt: inMinutes(start),
      endsAt: inMinutes(start + 180),
      capacity: opts.capacity ?? 5,
      skills: opts.skills ?? [],
    }),
    201,
  );
  return { id: v.id, title };
}
const calloutStock = (n: TreeNode, state: 'open' | 'closed' | 'cancelled') =>
  once(`callout ${state} ${n.id}`, async () => {
    const c = await calloutAt(n);
    if (state === 'closed') ok(await adminClient.post(`/api/callouts/${c.id}/close`));
    if (state === 'cancelled') ok(await adminClient.post(`/api/callouts/${c.id}/cancel`, { reason: '矩阵' }));
    return c;
  });
const calloutStates = async (n: TreeNode) => ({
  open: await calloutStock(n, 'open'),
  closed: await calloutStock(n, 'closed'),
  cancelled: await calloutStock(n, 'cancelled'),
});
async function snapCallout(id: number) {
  return {
    callout: await db.selectFrom('callouts').selectAll().where('id', '=', id).execute(),
    signups: await db
      .selectFrom('callout_signups')
      .selectAll()
      .where('callout_id', '=', id)
      .orderBy('id')
      .execute(),
  };
}
const calloutsTitled = (title: string) =>
  db.selectFrom('callouts').select('id').where('title', '=', title).execute();

/** A checkpoint at n with its three shifts on a day far ahead; answers the first shift. */
async function shiftAt(n: TreeNode): Promise<number> {
  const cp = await answer(
    adminClient.post<{ id: number }>('/api/checkpoints', {
      name: `矩阵服务卡口${++serial}`,
      type: 'village_entrance',
      nodeId: n.id,
      staffPerShift: 2,
    }),
    201,
  );
  ok(await adminClient.put(`/api/checkpoints/${cp.id}/pattern`, { pattern: { kind: 'three_by_eight' } }));
  ok(
    await adminClient.post(`/api/checkpoints/${cp.id}/shifts/generate`, {
      from: '2030-07-01',
      to: '2030-07-01',
    }),
  );
  return (
    await db
      .selectFrom('shifts')
      .select('id')
      .where('checkpoint_id', '=', cp.id)
      .orderBy('slot')
      .executeTakeFirstOrThrow()
  ).id;
}

// ---------------------------------------------------------------------------------------------
// Service requests: raised by the admin for a person at n, then set to the state asked.

type RequestState = 'open' | 'accepted' | 'done' | 'cancelled';
interface Request {
  id: number;
  personId: number;
}
async function requestAt(n: TreeNode, state: RequestState = 'open'): Promise<Request> {
  const personId = await personAt(n);
  const r = await answer(
    adminClient.post<ServiceRequestView>('/api/service-requests', { personId, kind: 'companionship' }),
    201,
  );
  const at = new Date().toISOString();
  if (state === 'open')
    await db
      .updateTable('service_requests')
      .set({ status: 'open', volunteer_id: null })
      .where('id', '=', r.id)
      .execute();
  else if (state === 'cancelled')
    ok(await adminClient.post(`/api/service-requests/${r.id}/cancel`, { reason: '矩阵取消' }));
  else {
    const v = await matrixVolunteer();
    await db
      .updateTable('service_requests')
      .set({
        status: state,
        volunteer_id: v.id,
        accepted_at: at,
        ...(state === 'done'
          ? {
              done_at: at,
              done_note: '已送达',
              minutes: 30,
              photo: TINY_PNG,
              photo_mime: 'image/png',
              photo_sha256: 'matrix',
            }
          : {}),
      })
      .where('id', '=', r.id)
      .execute();
  }
  return { id: r.id, personId };
}
const requestStock = (n: TreeNode, state: RequestState) =>
  once(`request ${state} ${n.id}`, () => requestAt(n, state));
const requestStates = async (n: TreeNode) => ({
  open: await requestStock(n, 'open'),
  accepted: await requestStock(n, 'accepted'),
  done: await requestStock(n, 'done'),
  cancelled: await requestStock(n, 'cancelled'),
});
async function snapRequest(id: number) {
  const r = await db
    .selectFrom('service_requests')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const audits = await db
    .selectFrom('audit_log')
    .select('id')
    .where('entity_type', '=', 'service_request')
    .where('entity_id', '=', String(id))
    .execute();
  return { ...r, photo: r.photo ? r.photo.length : null, audits: audits.length };
}
const requestsOf = (personId: number) =>
  db.selectFrom('service_requests').select('id').where('person_id', '=', personId).execute();

// ---------------------------------------------------------------------------------------------
// Care roster entries: a person with a care tag at n on the roster, straight in the database (the
// sync puts them there on its schedule); overdue since long ago, so that they come first in a list.

async function rosterAt(n: TreeNode, opts: { visitor?: number } = {}): Promise<number> {
  const grid = await gridAt(n);
  const personId = await insertPerson(db, grid, {
    name: `矩阵关爱${++serial}`,
    idNumber: nthIdNumber(serial, '330122'),
    phone: nthPhone(serial, '152'),
    tags: ['elderly_alone'],
  });
  const r = await db
    .insertInto('care_roster')
    .values({
      person_id: personId,
      tag_code: 'elderly_alone',
      every_days: 7,
      node_id: grid.id,
      node_path: grid.path,
      visitor_id: opts.visitor ?? null,
      started_on: '2020-01-01',
      last_visit_on: null,
      next_due_on: '2020-01-08',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}
const rosterStock = (n: TreeNode, state: 'unassigned' | 'assigned') =>
  once(`roster ${state} ${n.id}`, async () =>
    rosterAt(n, state === 'assigned' ? { visitor: (await matrixVolunteer()).id } : {}),
  );
const rosterStates = async (n: TreeNode) => ({
  unassigned: await rosterStock(n, 'unassigned'),
  assigned: await rosterStock(n, 'assigned'),
});
async function snapRoster(id: number) {
  return {
    entry: await db.selectFrom('care_roster').selectAll().where('id', '=', id).execute(),
    visits: (await db.selectFrom('care_visits').select('id').where('roster_id', '=', id).execute()).length,
  };
}

/** Hours credited this month to a volunteer living at n, straight in the database (as a check-out does). */
async function hoursAt(n: TreeNode): Promise<Volunteer> {
  const v = await volunteerAt(n);
  const month = shanghaiToday().slice(0, 7);
  await db
    .insertInto('volunteer_hours')
    .values({ volunteer_id: v.id, month, home_path: n.path, minutes: 90 })
    .execute();
  await db
    .insertInto('volunteer_hours_yearly')
    .values({ volunteer_id: v.id, year: month.slice(0, 4), home_path: n.path, minutes: 90 })
    .execute();
  await db.updateTable('volunteers').set({ minutes_total: 90 }).where('id', '=', v.id).execute();
  return v;
}
const hoursStock = (n: TreeNode) => once(`hours ${n.id}`, () => hoursAt(n));

// ---------------------------------------------------------------------------------------------
// A node case on a record placed at the target.

/** A read: the stock is read whether it goes through or not. */
function onRead<P>(o: {
  goes: (x: Ctx) => Promise<boolean>;
  stock: (n: TreeNode) => Promise<P>;
  call: (c: Client, p: P) => Promise<Res>;
  done: (res: Res, p: P) => Promise<void> | void;
}): NonNullable<Case['node']> {
  return {
    call: async (x, n) => {
      const p = await o.stock(n);
      const res = await o.call(x.c, p);
      aims.set(res, { p, before: null });
      return [res];
    },
    inside: async (res, x) => {
      if (await o.goes(x)) return o.done(res, aimed<P>(res).p);
      refused(res);
    },
  };
}
const always = () => Promise.resolve(true);
/**
 * Someone who is no volunteer answering a call-out: refused by the route (no callouts.join), or,
 * holding the permission (the administrators hold every one), told they have no sign-up there.
 */
const notJoining = async (x: Ctx) => ((await may(x.c, 'callouts.join')) ? 404 : 403);
/** A place outside the caller's scope that does not hold it (not one of its ancestors). */
const sibling = (x: Pick<Ctx, 'actor'>) =>
  x.actor.outside().find((o) => !isWithin(x.actor.scope().path, o.path)) ?? tree.grids[7]!;

/** Every item's node lies within the path, and the list is not empty. */
async function allWithin(ids: number[], path: string) {
  expect(ids.length, 'an empty list proves nothing').toBeGreaterThan(0);
  for (const p of await pathsOfIds(ids)) expect(isWithin(p, path), p).toBe(true);
}
const homePaths = async (ids: number[]) =>
  ids.length
    ? (await db.selectFrom('volunteers').select('home_path').where('id', 'in', ids).execute()).map(
        (r) => r.home_path,
      )
    : [];
/** A list read with ?node=: an unknown node is 404. */
const unknownNode = async (c: Client, url: string) =>
  refused(await c.get(`${url}${url.includes('?') ? '&' : '?'}node=999999`), 404);
/**
 * A list of records each placed at a node (its items name their node): read plain, it holds the
 * caller's places' only (the stock placed everywhere first) and an unknown ?node= is 404; read with
 * ?node=, the place's only, the record aimed at among them (one of its own when `fresh` places it:
 * a list that is the latest page).
 */
function placedList(o: {
  url: string;
  /** The query of a plain read, and (unless `nodeQuery`) of a read with ?node=. */
  query?: string;
  nodeQuery?: string;
  stock: (n: TreeNode) => Promise<number>;
  fresh?: (n: TreeNode) => Promise<number>;
}): Pick<Case, 'list' | 'node'> {
  const nodeQuery = o.nodeQuery ?? o.query;
  const placesOf = async (res: Res, path: string) => {
    ok(res);
    const list = items(res) as { id: number; node: { id: number } }[];
    await allWithin(
      list.map((i) => i.node.id),
      path,
    );
    return list;
  };
  return {
    list: {
      call: async (x) => {
        for (const n of everywhere(x)) await o.stock(n);
        return x.c.get(o.query ? `${o.url}?${o.query}` : o.url);
      },
      check: async (res, x) => {
        await placesOf(res, x.actor.scope().path);
        await unknownNode(x.c, o.url);
      },
    },
    node: {
      call: async ({ c }, n, where) => {
        const id = where === 'inside' && o.fresh ? await o.fresh(n) : await o.stock(n);
        const res = await c.get(`${o.url}?node=${n.id}${nodeQuery ? `&${nodeQuery}` : ''}`);
        aims.set(res, { p: id, before: null });
        return [res];
      },
      inside: async (res, _x, n) => {
        const list = await placesOf(res, n.path);
        expect(list.map((i) => i.id)).toContain(aimed<number>(res).p);
      },
    },
  };
}
/** A scope-before-state case: the route called on each of the records `states` places at the target. */
const inStatesOf =
  <P>(states: (n: TreeNode) => Promise<Record<string, P>>) =>
  (call: (c: Client, p: P) => Promise<Res>): Case['states'] =>
  async ({ c }, n) =>
    inEachState(await states(n), (p) => call(c, p));
const inVolunteerStates = inStatesOf(volunteerStates);
const inCalloutStates = inStatesOf(calloutStates);
const inRequestStates = inStatesOf(requestStates);
const inRosterStates = inStatesOf(rosterStates);
/** Records of a table by name: what a refused create must not have made. */
const named = (table: 'volunteer_orgs' | 'volunteers', name: string) =>
  db.selectFrom(table).select('id').where('name', '=', name).execute();

/** A node case on a call-out at the target, open until the call. */
const onCallout = (o: Pick<OnRecord<Callout>, 'goes' | 'call' | 'done'>) =>
  onRecord<Callout>({
    ...o,
    fresh: (n) => calloutAt(n),
    stock: (n) => calloutStock(n, 'open'),
    snap: (p) => snapCallout(p.id),
  });
/** A node case on a service request at the target in the state given (open unless told). */
const onRequest = (o: Pick<OnRecord<Request>, 'goes' | 'call' | 'done'> & { at?: RequestState }) =>
  onRecord<Request>({
    goes: o.goes,
    call: o.call,
    done: o.done,
    fresh: (n) => requestAt(n, o.at),
    stock: (n) => requestStock(n, o.at ?? 'open'),
    snap: (p) => snapRequest(p.id),
  });
/** Only the volunteer given the task takes this step: everyone in the cast is refused, inside as outside. */
const volunteersOwn = (call: (c: Client, p: Request) => Promise<Res>) =>
  onRequest({ goes: () => Promise.resolve(false), call, done: () => undefined });
/**
 * A request at the caller's place given to their volunteer v, the step asked shown refused to
 * another volunteer (w): what only the volunteer holding a task does.
 */
async function givenTo(x: Ctx, step: 'accept' | 'decline') {
  const v = await accountAt(x.actor.scope());
  const w = await accountAt(x.actor.scope(), 'w');
  const r = await requestAt(x.actor.scope());
  ok(await adminClient.post(`/api/service-requests/${r.id}/assign`, { volunteerId: v.id }));
  refused(await w.client!.post(`/api/service-requests/${r.id}/${step}`));
  return { v, r };
}
/**
 * A call-out at the caller's place their volunteer v signed up for (and checked in, when asked),
 * the step asked shown refused to the cast member (no sign-up of theirs) and to another volunteer w.
 */
async function signedUpFor(
  x: Ctx,
  step: 'withdraw' | 'check-in' | 'check-out',
  opts: { now?: true; checkedIn?: true } = {},
) {
  const n = x.actor.scope();
  const v = await accountAt(n);
  const w = await accountAt(n, 'w');
  const c = await calloutAt(n, opts.now ? { now: true } : {});
  ok(await v.client!.post(`/api/callouts/${c.id}/signups`), 201);
  if (opts.checkedIn) ok(await v.client!.post(`/api/callouts/${c.id}/check-in`, {}));
  const url = `/api/callouts/${c.id}/${step}`;
  const body = step === 'withdraw' ? undefined : {};
  refused(await x.c.post(url, body), await notJoining(x));
  // Someone who did not sign up has no place to give back, nor to check in or out of.
  refused(await w.client!.post(url, body), 404);
  return { v, url };
}
/** A node case on a care roster entry at the target, without a visitor until the call. */
const onRoster = (o: Pick<OnRecord<number>, 'goes' | 'call' | 'done'>) =>
  onRecord<number>({
    ...o,
    fresh: (n) => rosterAt(n),
    stock: (n) => rosterStock(n, 'unassigned'),
    snap: snapRoster,
  });

/** Giving a task to the matrix's volunteer. */
const assign = async (c: Client, p: { id: number }) =>
  c.post(`/api/service-requests/${p.id}/assign`, { volunteerId: (await matrixVolunteer()).id });
const accept = (c: Client, p: { id: number }) => c.post(`/api/service-requests/${p.id}/accept`);
const decline = (c: Client, p: { id: number }) => c.post(`/api/service-requests/${p.id}/decline`);
/** Naming the matrix's volunteer visitor of a roster entry. */
const giveVisitor = async (c: Client, id: number) =>
  c.post(`/api/care/roster/${id}/visitor`, { volunteerId: (await matrixVolunteer()).id });

// ---------------------------------------------------------------------------------------------

export const servicesCases: Record<string, Case> = {
  // ---- organisations
  'GET /api/services/orgs': {
    wholeCast: true,
    ...placedList({ url: '/api/services/orgs', stock: orgStock }),
  },
  'POST /api/services/orgs': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => {
        const name = `矩阵新志愿队${++serial}`;
        const res = await c.post('/api/services/orgs', { kind: 'party_branch', name, nodeId: n.id });
        aims.set(res, { p: name, before: null });
        return [res];
      },
      inside: (res, _x, n) => {
        ok(res, 201);
        expect((res.body as VolunteerOrgView).node.id).toBe(n.id);
      },
      outside: async (res) => {
        refused(res);
        expect(await named('volunteer_orgs', aimed<string>(res).p)).toEqual([]);
      },
    },
  },

  // ---- volunteers
  'GET /api/services/volunteers': {
    wholeCast: true,
    list: {
      call: async (x) => {
        for (const n of everywhere(x)) await stockVolunteer(n);
        return x.c.get('/api/services/volunteers?pageSize=200');
      },
      check: async (res, x) => {
        ok(res);
        const list = items(res) as VolunteerView[];
        expect(list.length, 'an empty list proves nothing').toBeGreaterThan(0);
        for (const p of await homePaths(list.map((v) => v.id)))
          expect(isWithin(p, x.actor.scope().path), p).toBe(true);
        await unknownNode(x.c, '/api/services/volunteers');
      },
    },
    node: {
      call: async ({ c }, n) => {
        const v = await stockVolunteer(n);
        const res = await c.get(
          `/api/services/volunteers?node=${n.id}&q=${encodeURIComponent(v.name)}&pageSize=200`,
        );
        aims.set(res, { p: v.id, before: null });
        return [res];
      },
      inside: async (res, _x, n) => {
        ok(res);
        const list = items(res) as VolunteerView[];
        expect(list.map((v) => v.id)).toContain(aimed<number>(res).p);
        for (const p of await homePaths(list.map((v) => v.id))) expect(isWithin(p, n.path), p).toBe(true);
      },
    },
  },
  'POST /api/services/volunteers': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => {
        const k = ++serial;
        const name = `矩阵登记${k}`;
        const res = await c.post('/api/services/volunteers', {
          nodeId: n.id,
          name,
          idNumber: nthIdNumber(k, '330123'),
          consent: true,
        });
        aims.set(res, { p: name, before: null });
        return [res];
      },
      inside: (res, _x, n) => {
        ok(res, 201);
        expect(res.body as VolunteerView).toMatchObject({ home: { id: n.id }, joinedVia: 'coordinator' });
      },
      outside: async (res) => {
        refused(res);
        expect(await named('volunteers', aimed<string>(res).p)).toEqual([]);
      },
    },
  },
  'GET /api/services/volunteers/me': {
    unscoped: 'the caller’s own volunteer record, found by their account: 404 to whoever is no volunteer',
    wholeCast: true,
    check: async (x) => {
      refused(await x.c.get('/api/services/volunteers/me'), 404);
      const v = await accountAt(x.actor.scope());
      const me = await answer(v.client!.get<VolunteerView>('/api/services/volunteers/me'));
      expect(me).toMatchObject({ id: v.id, name: v.name, hasAccount: true });
    },
  },
  'POST /api/services/volunteers/import': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => {
        const k = ++serial;
        const name = `矩阵导入志愿者${k}`;
        const grid = await gridAt(n);
        const csv = toCsv([
          ['姓名', '身份证号', '居住地编码'],
          [name, nthIdNumber(k, '330124'), grid.fullCode],
        ]);
        const res = await c.request({
          method: 'POST',
          url: '/api/services/volunteers/import',
          ...multipart([
            { name: 'nodeId', data: String(n.id) },
            { name: 'file', filename: 'volunteers.csv', contentType: 'text/csv', data: csv },
          ]),
        });
        aims.set(res, { p: name, before: null });
        return [res];
      },
      inside: async (res) => {
        ok(res, 201);
        expect(res.body).toEqual({ created: 1, linked: 0 });
        const name = aimed<string>(res).p;
        expect(
          await db.selectFrom('volunteers').select('joined_via').where('name', '=', name).execute(),
        ).toEqual([{ joined_via: 'import' }]);
      },
      outside: async (res) => {
        refused(res);
        expect(await named('volunteers', aimed<string>(res).p)).toEqual([]);
      },
    },
  },
  'GET /api/services/volunteers/:id': {
    wholeCast: true,
    states: inVolunteerStates((c, v) => c.get(`/api/services/volunteers/${v.id}`)),
    node: onRead({
      goes: (x) => may(x.c, 'volunteers.read'),
      stock: stockVolunteer,
      call: (c, v) => c.get(`/api/services/volunteers/${v.id}`),
      done: (res, v) => {
        ok(res);
        expect((res.body as VolunteerView).id).toBe(v.id);
      },
    }),
    check: async (x) => {
      // A volunteer reads their own record wherever they live, and nobody else's they do not read.
      const v = await accountAt(x.actor.scope());
      const other = await stockVolunteer(x.actor.scope());
      ok(await v.client!.get(`/api/services/volunteers/${v.id}`));
      refused(await v.client!.get(`/api/services/volunteers/${other.id}`));
      refused(await x.c.get('/api/services/volunteers/999999'), 404);
    },
  },
  'PATCH /api/services/volunteers/:id': {
    wholeCast: true,
    states: inVolunteerStates((c, v) => c.patch(`/api/services/volunteers/${v.id}`, { skills: ['driving'] })),
    node: onRecord({
      goes: manages,
      fresh: (n) => volunteerAt(n),
      stock: stockVolunteer,
      snap: (v) => volunteerRow(v.id),
      call: (c, v) => c.patch(`/api/services/volunteers/${v.id}`, { skills: ['driving'], partyMember: true }),
      done: (res, v) => {
        ok(res);
        expect(res.body as VolunteerView).toMatchObject({ id: v.id, skills: ['driving'], partyMember: true });
      },
    }),
  },
  'GET /api/services/volunteers/:id/certificate': {
    wholeCast: true,
    states: inVolunteerStates((c, v) => c.get(`/api/services/volunteers/${v.id}/certificate`)),
    node: onRead({
      goes: (x) => may(x.c, 'volunteers.read'),
      stock: hoursStock,
      call: (c, v) => c.get(`/api/services/volunteers/${v.id}/certificate`),
      done: (res) => {
        ok(res);
        expect(String(res.headers['content-type'])).toContain('application/pdf');
        expect(res.raw.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      },
    }),
    check: async (x) => {
      // A volunteer prints their own certificate, and no one else's.
      const v = await accountAt(x.actor.scope());
      const res = await v.client!.get(`/api/services/volunteers/${v.id}/certificate`);
      ok(res);
      expect(res.raw.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const other = await hoursStock(x.actor.scope());
      refused(await v.client!.get(`/api/services/volunteers/${other.id}/certificate`));
    },
  },

  // ---- invitations and joining
  'POST /api/services/invitations': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => {
        const before = (
          await db.selectFrom('volunteer_invitations').select('id').where('node_id', '=', n.id).execute()
        ).length;
        const res = await c.post('/api/services/invitations', { nodeId: n.id, days: 7, maxUses: 3 });
        aims.set(res, { p: n.id, before });
        return [res];
      },
      inside: (res, _x, n) => {
        ok(res, 201);
        const b = res.body as { token: string; path: string; node: { id: number }; maxUses: number };
        expect(b).toMatchObject({ node: { id: n.id }, maxUses: 3 });
        expect(b.path).toBe(`/join/${b.token}`);
      },
      outside: async (res) => {
        refused(res);
        const { p, before } = aimed<number>(res);
        expect(
          (await db.selectFrom('volunteer_invitations').select('id').where('node_id', '=', p).execute())
            .length,
        ).toBe(before);
      },
    },
  },
  'GET /api/public/join/:token': {
    stateless: 'an invitation link is its own credential: public, and it reaches that invitation only',
    unscoped: 'public: what an invitation is for (its place and organisation), nothing of anyone',
    check: async ({ actor }) => {
      const n = actor.scope();
      const inv = await answer(
        adminClient.post<{ token: string }>('/api/services/invitations', { nodeId: n.id }),
        201,
      );
      const info = await answer(t.anon().get<{ node: { id: number } }>(`/api/public/join/${inv.token}`));
      expect(Object.keys(info).sort()).toEqual(['expiresAt', 'node', 'org']);
      expect(info.node.id).toBe(n.id);
      refused(await t.anon().get(`/api/public/join/${NO_SUCH_TOKEN}`), 404);
    },
  },
  'POST /api/public/join/:token': {
    stateless: 'an invitation link is its own credential: public, and it reaches that invitation only',
    unscoped:
      'public: joining through an invitation makes a volunteer and an account at a home inside the invitation’s place only',
    check: async ({ actor }) => {
      const n = actor.scope();
      const inv = await answer(
        adminClient.post<{ token: string }>('/api/services/invitations', { nodeId: n.id, maxUses: 5 }),
        201,
      );
      const body = (home: TreeNode) => {
        const k = ++serial;
        return {
          name: `矩阵加入${k}`,
          idNumber: nthIdNumber(k, '330125'),
          phone: nthPhone(k, '153'),
          nodeId: home.id,
          username: `mjoin${k}`,
          password: 'correct-horse-battery',
          consent: true,
        };
      };
      const inside = body(await gridAt(n));
      const joined = await answer(
        t.anon().post<{ volunteerId: number; username: string }>(`/api/public/join/${inv.token}`, inside),
        201,
      );
      expect(joined).toEqual({ volunteerId: joined.volunteerId, username: inside.username });
      const me = await answer(
        (await t.login(inside.username)).get<VolunteerView>('/api/services/volunteers/me'),
      );
      expect(me).toMatchObject({ id: joined.volunteerId, joinedVia: 'invitation', hasAccount: true });
      // A home outside the invitation's place is refused, and no account is made for it.
      const outside = body(sibling({ actor }));
      refused(await t.anon().post(`/api/public/join/${inv.token}`, outside), 400);
      expect(
        await db.selectFrom('users').select('id').where('username', '=', outside.username).execute(),
      ).toEqual([]);
      refused(await t.anon().post(`/api/public/join/${NO_SUCH_TOKEN}`, body(n)), 404);
    },
  },

  // ---- call-outs
  'GET /api/callouts': {
    wholeCast: true,
    ...placedList({
      url: '/api/callouts',
      stock: async (n) => (await calloutStock(n, 'open')).id,
      // The list is the latest 200 by start: a call-out of its own starting last is on it.
      fresh: async (n) => (await calloutAt(n, { days: 300 })).id,
    }),
    check: async (x) => {
      // Near me and mine are a volunteer's: someone who is no volunteer has neither (404).
      refused(await x.c.get('/api/callouts?mine=1'), 404);
      refused(await x.c.get('/api/callouts?near=1'), 404);
      const v = await accountAt(x.actor.scope());
      const c = await calloutAt(x.actor.scope());
      ok(await v.client!.post(`/api/callouts/${c.id}/signups`), 201);
      const mine = await answer(v.client!.get<{ items: CalloutView[] }>('/api/callouts?mine=1'));
      expect(mine.items.map((i) => i.id)).toContain(c.id);
      // What a volunteer is shown of a call-out: their own sign-up, never the others'.
      for (const i of mine.items) {
        expect(i.signups).toBeNull();
        expect(i.mine?.volunteer.id).toBe(v.id);
      }
      // Near me: open call-outs of their town, none of another.
      const near = await answer(v.client!.get<{ items: CalloutView[] }>('/api/callouts?near=1'));
      const up = x.actor.scope().path.split('/').filter(Boolean);
      const town = `/${up.slice(0, Math.min(2, up.length)).join('/')}/`;
      await allWithin(
        near.items.map((i) => i.node.id),
        town,
      );
      // A volunteer holds no place: the list of places' call-outs is refused them.
      refused(await v.client!.get('/api/callouts'));
    },
  },
  'POST /api/callouts': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => {
        const title = `矩阵新召集${++serial}`;
        const res = await c.post('/api/callouts', {
          nodeId: n.id,
          title,
          meetingPoint: '广场',
          startsAt: inMinutes(48 * 60),
          endsAt: inMinutes(48 * 60 + 120),
          capacity: 3,
        });
        aims.set(res, { p: title, before: null });
        return [res];
      },
      inside: (res, _x, n) => {
        ok(res, 201);
        expect(res.body as CalloutView).toMatchObject({ node: { id: n.id }, capacity: 3, status: 'open' });
      },
      outside: async (res) => {
        refused(res);
        expect(await calloutsTitled(aimed<string>(res).p)).toEqual([]);
      },
    },
  },
  'POST /api/callouts/from-shift': {
    wholeCast: true,
    node: {
      call: async (x, n, where) => {
        const through = where === 'inside' && (await posts(x));
        const shift = through ? await shiftAt(n) : await once(`shift ${n.id}`, () => shiftAt(n));
        const res = await x.c.post('/api/callouts/from-shift', { shiftId: shift, capacity: 2 });
        aims.set(res, { p: shift, before: null });
        return [res];
      },
      inside: (res) => {
        ok(res, 201);
        expect(res.body as CalloutView).toMatchObject({ shift: { id: aimed<number>(res).p }, capacity: 2 });
      },
      outside: async (res) => {
        refused(res);
        expect(
          await db.selectFrom('callouts').select('id').where('shift_id', '=', aimed<number>(res).p).execute(),
        ).toEqual([]);
      },
    },
  },
  'GET /api/callouts/:id': {
    wholeCast: true,
    states: inCalloutStates((c, p) => c.get(`/api/callouts/${p.id}`)),
    node: onRead({
      goes: always,
      stock: (n) => calloutStock(n, 'open'),
      call: (c, p) => c.get(`/api/callouts/${p.id}`),
      done: (res, p) => {
        ok(res);
        const v = res.body as CalloutView;
        expect(v.id).toBe(p.id);
        // Whoever reads or posts at the place sees who signed up.
        expect(v.signups).not.toBeNull();
      },
    }),
    check: async (x) => {
      // A call-out is an open call: any volunteer reads it, wherever it is, without the others' names.
      const away = x.actor.outside()[0] ?? tree.towns[1]!;
      const v = await accountAt(x.actor.scope());
      const c = await calloutStock(away, 'open');
      const seen = await answer(v.client!.get<CalloutView>(`/api/callouts/${c.id}`));
      expect(seen.signups).toBeNull();
      refused(await x.c.get('/api/callouts/999999'), 404);
    },
  },
  'POST /api/callouts/:id/signups': {
    wholeCast: true,
    unscoped:
      'a call-out is an open call: any active volunteer answers it wherever it is; nobody else signs up (no callouts.join)',
    states: inCalloutStates((c, p) => c.post(`/api/callouts/${p.id}/signups`)),
    check: async (x) => {
      const n = x.actor.scope();
      const v = await accountAt(n);
      const c = await calloutAt(n, { capacity: 1 });
      refused(await x.c.post(`/api/callouts/${c.id}/signups`));
      const s = await answer(v.client!.post<SignupView>(`/api/callouts/${c.id}/signups`), 201);
      expect(s).toMatchObject({ calloutId: c.id, volunteer: { id: v.id }, status: 'signed_up' });
      refused(await v.client!.post(`/api/callouts/${c.id}/signups`), 409);
      // The one place is taken: the next volunteer is told it is full, and nothing changes.
      const w = await accountAt(n, 'w');
      const before = await snapCallout(c.id);
      const full = await w.client!.post(`/api/callouts/${c.id}/signups`);
      refused(full, 409);
      expect((full.body as { code: string }).code).toBe('services.callout_full');
      expect(await snapCallout(c.id)).toEqual(before);
      // A closed call-out takes nobody.
      const closed = await calloutStock(n, 'closed');
      refused(await w.client!.post(`/api/callouts/${closed.id}/signups`), 409);
    },
  },
  'POST /api/callouts/:id/withdraw': {
    wholeCast: true,
    unscoped: 'a volunteer gives back their own place; nobody else’s (no callouts.join)',
    states: inCalloutStates((c, p) => c.post(`/api/callouts/${p.id}/withdraw`)),
    check: async (x) => {
      const { v, url } = await signedUpFor(x, 'withdraw');
      const back = await answer(v.client!.post<CalloutView>(url));
      expect(back).toMatchObject({ filled: 0, mine: { status: 'withdrawn' } });
    },
  },
  'POST /api/callouts/:id/check-in': {
    wholeCast: true,
    unscoped: 'a volunteer checks in for their own sign-up on site; nobody else (no callouts.join)',
    states: inCalloutStates((c, p) => c.post(`/api/callouts/${p.id}/check-in`, {})),
    check: async (x) => {
      const { v, url } = await signedUpFor(x, 'check-in', { now: true });
      const s = await answer(v.client!.post<SignupView>(url, { lat: 30.2, lng: 119.7 }));
      expect(s).toMatchObject({ volunteer: { id: v.id }, status: 'checked_in' });
    },
  },
  'POST /api/callouts/:id/check-out': {
    wholeCast: true,
    unscoped: 'a volunteer checks out of their own sign-up; nobody else (no callouts.join)',
    states: inCalloutStates((c, p) => c.post(`/api/callouts/${p.id}/check-out`, {})),
    check: async (x) => {
      const { v, url } = await signedUpFor(x, 'check-out', { now: true, checkedIn: true });
      const s = await answer(v.client!.post<SignupView>(url, {}));
      expect(s).toMatchObject({ volunteer: { id: v.id }, status: 'done' });
    },
  },
  'POST /api/callouts/:id/close': {
    wholeCast: true,
    states: inCalloutStates((c, p) => c.post(`/api/callouts/${p.id}/close`)),
    node: onCallout({
      goes: posts,
      call: (c, p) => c.post(`/api/callouts/${p.id}/close`),
      done: (res, p) => {
        ok(res);
        expect(res.body as CalloutView).toMatchObject({ id: p.id, status: 'closed' });
      },
    }),
  },
  'POST /api/callouts/:id/cancel': {
    wholeCast: true,
    states: inCalloutStates((c, p) => c.post(`/api/callouts/${p.id}/cancel`, { reason: '矩阵' })),
    node: onCallout({
      goes: posts,
      call: (c, p) => c.post(`/api/callouts/${p.id}/cancel`, { reason: '天气原因' }),
      done: (res, p) => {
        ok(res);
        expect(res.body as CalloutView).toMatchObject({ id: p.id, status: 'cancelled' });
      },
    }),
  },

  // ---- service requests
  'GET /api/service-requests': {
    wholeCast: true,
    ...placedList({
      url: '/api/service-requests',
      query: 'pageSize=200',
      stock: async (n) => (await requestStock(n, 'open')).id,
      // Newest first: a request of its own is on the first page.
      fresh: async (n) => (await requestAt(n)).id,
    }),
    check: async (x) => {
      // Mine: the tasks given to the volunteer, wherever they are; nothing to whoever is no volunteer.
      refused(await x.c.get('/api/service-requests?mine=1'), 404);
      const v = await matrixVolunteer();
      const r = await requestStock(x.actor.scope(), 'accepted');
      const mine = await answer(
        v.client!.get<{ items: ServiceRequestView[] }>(
          '/api/service-requests?mine=1&status=accepted&pageSize=200',
        ),
      );
      expect(mine.items.map((i) => i.id)).toContain(r.id);
      expect(mine.items.every((i) => i.volunteer?.id === v.id)).toBe(true);
      refused(await v.client!.get('/api/service-requests'));
    },
  },
  'POST /api/service-requests': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => {
        const personId = await personAt(n);
        const res = await c.post('/api/service-requests', { personId, kind: 'meals', details: '午餐' });
        aims.set(res, { p: personId, before: null });
        return [res];
      },
      inside: async (res) => {
        ok(res, 201);
        const v = res.body as ServiceRequestView;
        expect(v.kind).toBe('meals');
        expect((await requestsOf(aimed<number>(res).p)).map((r) => r.id)).toEqual([v.id]);
      },
      outside: async (res) => {
        refused(res);
        expect(await requestsOf(aimed<number>(res).p)).toEqual([]);
      },
    },
  },
  'POST /api/public/service-requests': {
    unscoped:
      'public: a resident asks for themselves by name and ID number at their place; answers a reference only',
    check: async ({ actor }) => {
      const n = actor.scope();
      const k = ++serial;
      const idNumber = nthIdNumber(k, '330126');
      const name = `矩阵求助${k}`;
      const personId = await insertPerson(db, await gridAt(n), { name, idNumber });
      const send = (b: Record<string, unknown>) =>
        t
          .anon()
          .post('/api/public/service-requests', { nodeId: n.id, name, idNumber, kind: 'shopping', ...b });
      const res = await send({});
      ok(res, 201);
      expect(Object.keys(res.body as object)).toEqual(['reference']);
      expect(await requestsOf(personId)).toHaveLength(1);
      // Another name, or a place that does not hold them: one answer, nothing raised.
      for (const wrong of [{ name: '别人' }, { nodeId: sibling({ actor }).id }]) {
        const r = await send(wrong);
        refused(r, 400);
        expect((r.body as { code: string }).code).toBe('services.resident_not_found');
      }
      expect(await requestsOf(personId)).toHaveLength(1);
      refused(await send({ nodeId: 999999 }), 404);
    },
  },
  'GET /api/service-requests/:id': {
    wholeCast: true,
    states: inRequestStates((c, p) => c.get(`/api/service-requests/${p.id}`)),
    node: onRead({
      goes: always,
      stock: (n) => requestStock(n, 'open'),
      call: (c, p) => c.get(`/api/service-requests/${p.id}`),
      done: (res, p) => {
        ok(res);
        const v = res.body as ServiceRequestView;
        expect(v.id).toBe(p.id);
        // Only the volunteer holding the task is shown a way to reach the resident.
        expect(v.contact).toBeNull();
      },
    }),
    check: async (x) => {
      // The volunteer holding a task reads it wherever it is (with the resident's phone masked); another volunteer does not.
      const v = await matrixVolunteer();
      const r = await requestStock(x.actor.scope(), 'accepted');
      const seen = await answer(v.client!.get<ServiceRequestView>(`/api/service-requests/${r.id}`));
      expect(seen.contact).toMatch(/^\d{3}\*{4}\d{4}$/);
      const w = await accountAt(x.actor.scope(), 'w');
      refused(await w.client!.get(`/api/service-requests/${r.id}`));
      refused(await x.c.get('/api/service-requests/999999'), 404);
    },
  },
  'GET /api/service-requests/:id/suggestions': {
    wholeCast: true,
    states: inRequestStates((c, p) => c.get(`/api/service-requests/${p.id}/suggestions`)),
    node: onRead({
      goes: assigns,
      stock: (n) => requestStock(n, 'open'),
      call: (c, p) => c.get(`/api/service-requests/${p.id}/suggestions`),
      done: (res) => {
        ok(res);
        expect(Array.isArray(items(res))).toBe(true);
      },
    }),
  },
  'POST /api/service-requests/:id/assign': {
    wholeCast: true,
    states: inRequestStates(assign),
    node: onRequest({
      goes: assigns,
      call: assign,
      done: async (res, p) => {
        ok(res);
        expect(res.body as ServiceRequestView).toMatchObject({
          id: p.id,
          status: 'assigned',
          volunteer: { id: (await matrixVolunteer()).id },
        });
      },
    }),
  },
  'POST /api/service-requests/:id/accept': {
    wholeCast: true,
    states: inRequestStates(accept),
    node: volunteersOwn(accept),
    check: async (x) => {
      const { v, r } = await givenTo(x, 'accept');
      const taken = await answer(v.client!.post<ServiceRequestView>(`/api/service-requests/${r.id}/accept`));
      expect(taken).toMatchObject({ status: 'accepted', volunteer: { id: v.id } });
      refused(await v.client!.post(`/api/service-requests/${r.id}/accept`), 409);
    },
  },
  'POST /api/service-requests/:id/decline': {
    wholeCast: true,
    states: inRequestStates(decline),
    node: volunteersOwn(decline),
    check: async (x) => {
      const { v, r } = await givenTo(x, 'decline');
      expect(await answer(v.client!.post(`/api/service-requests/${r.id}/decline`))).toEqual({ ok: true });
      // No longer theirs: the decliner reads it no more.
      const after = (await snapRequest(r.id)).volunteer_id;
      expect(after).not.toBe(v.id);
      refused(await v.client!.get(`/api/service-requests/${r.id}`));
    },
  },
  'POST /api/service-requests/:id/complete': {
    wholeCast: true,
    states: inRequestStates(complete),
    node: onRequest({
      goes: assigns,
      at: 'accepted',
      call: complete,
      done: (res, p) => {
        ok(res);
        expect(res.body as ServiceRequestView).toMatchObject({ id: p.id, status: 'done', hasPhoto: true });
      },
    }),
    check: async (x) => {
      // The volunteer holding the task completes it; another volunteer does not.
      const v = await matrixVolunteer();
      const r = await requestAt(x.actor.scope(), 'accepted');
      const w = await accountAt(x.actor.scope(), 'w');
      refused(await complete(w.client!, r));
      const done = await complete(v.client!, r);
      ok(done);
      expect(done.body as ServiceRequestView).toMatchObject({ status: 'done', minutes: 30 });
    },
  },
  'GET /api/service-requests/:id/photo': {
    wholeCast: true,
    states: async ({ c }, n) => {
      const s = await requestStates(n);
      return inEachState({ done: s.done, open: s.open }, (p) => c.get(`/api/service-requests/${p.id}/photo`));
    },
    node: onRead({
      goes: always,
      stock: (n) => requestStock(n, 'done'),
      call: (c, p) => c.get(`/api/service-requests/${p.id}/photo`),
      done: (res) => {
        ok(res);
        expect(String(res.headers['content-type'])).toContain('image/png');
        expect(res.raw.rawPayload.equals(TINY_PNG)).toBe(true);
      },
    }),
  },
  'POST /api/service-requests/:id/satisfaction': {
    wholeCast: true,
    states: inRequestStates((c, p) => c.post(`/api/service-requests/${p.id}/satisfaction`, { score: 5 })),
    node: onRequest({
      goes: raisesOrAssigns,
      at: 'done',
      call: (c, p) => c.post(`/api/service-requests/${p.id}/satisfaction`, { score: 4 }),
      done: (res, p) => {
        ok(res);
        expect(res.body as ServiceRequestView).toMatchObject({ id: p.id, satisfaction: 4 });
      },
    }),
  },
  'POST /api/service-requests/:id/cancel': {
    wholeCast: true,
    states: inRequestStates((c, p) => c.post(`/api/service-requests/${p.id}/cancel`, { reason: '矩阵' })),
    node: onRequest({
      goes: raisesOrAssigns,
      call: (c, p) => c.post(`/api/service-requests/${p.id}/cancel`, { reason: '已由家属照料' }),
      done: (res, p) => {
        ok(res);
        expect(res.body as ServiceRequestView).toMatchObject({ id: p.id, status: 'cancelled' });
      },
    }),
  },

  // ---- care
  'GET /api/care/rules': {
    unscoped: 'the district’s visiting rhythm per care tag: one set of numbers, nobody’s data',
    wholeCast: true,
    check: async ({ c }) => {
      const rules = await answer(c.get<{ items: { tag: string; everyDays: number }[] }>('/api/care/rules'));
      expect(rules.items.map((r) => r.tag)).toContain('elderly_alone');
    },
  },
  'PUT /api/care/rules': {
    unscoped: 'district-wide: only who holds care_rules.manage at the district sets the rhythm',
    wholeCast: true,
    check: async (x) => {
      const body = { rules: [{ tag: 'widowed', everyDays: 14 }] };
      const res = await x.c.put('/api/care/rules', body);
      const districtWide = x.actor.scope() === tree.district && (await may(x.c, 'care_rules.manage'));
      if (!districtWide) return refused(res);
      ok(res);
      expect((res.body as { items: { tag: string; everyDays: number }[] }).items).toContainEqual({
        tag: 'widowed',
        everyDays: 14,
      });
    },
  },
  'GET /api/care/roster': {
    wholeCast: true,
    ...placedList({
      url: '/api/care/roster',
      query: 'pageSize=200',
      nodeQuery: 'overdue=1&pageSize=200',
      stock: (n) => rosterStock(n, 'unassigned'),
    }),
    check: async (x) => {
      // Mine: the entries a volunteer is assigned to visit, wherever they are.
      refused(await x.c.get('/api/care/roster?mine=1'), 404);
      const v = await matrixVolunteer();
      const e = await rosterStock(x.actor.scope(), 'assigned');
      const mine = await answer(
        v.client!.get<{ items: RosterEntryView[] }>('/api/care/roster?mine=1&pageSize=200'),
      );
      expect(mine.items.map((i) => i.id)).toContain(e);
      expect(mine.items.every((i) => i.visitor?.id === v.id)).toBe(true);
    },
  },
  'GET /api/care/overdue': {
    wholeCast: true,
    list: {
      call: async (x) => {
        for (const n of everywhere(x)) await rosterStock(n, 'unassigned');
        return x.c.get('/api/care/overdue');
      },
      check: async (res, x) => {
        ok(res);
        const list = items(res) as { node: { id: number }; overdue: number }[];
        await allWithin(
          list.map((i) => i.node.id),
          x.actor.scope().path,
        );
        expect(list.some((i) => i.overdue > 0)).toBe(true);
        await unknownNode(x.c, '/api/care/overdue');
      },
    },
    node: {
      call: async ({ c }, n) => {
        await rosterStock(n, 'unassigned');
        return [await c.get(`/api/care/overdue?node=${n.id}`)];
      },
      inside: async (res, _x, n) => {
        ok(res);
        const list = items(res) as { node: { id: number }; overdue: number }[];
        await allWithin(
          list.map((i) => i.node.id),
          n.path,
        );
        expect(list.some((i) => i.overdue > 0)).toBe(true);
      },
    },
  },
  'POST /api/care/roster/:id/visitor': {
    wholeCast: true,
    states: inRosterStates(giveVisitor),
    node: onRoster({
      goes: assigns,
      call: giveVisitor,
      done: async (res, id) => {
        ok(res);
        expect(res.body as RosterEntryView).toMatchObject({
          id,
          visitor: { id: (await matrixVolunteer()).id },
        });
      },
    }),
  },
  'POST /api/care/roster/:id/visits': {
    wholeCast: true,
    states: inRosterStates((c, id) => c.post(`/api/care/roster/${id}/visits`, { note: '矩阵' })),
    node: onRoster({
      goes: (x) => may(x.c, 'care.visit'),
      call: (c, id) => c.post(`/api/care/roster/${id}/visits`, { note: '老人身体尚可' }),
      done: async (res, id) => {
        ok(res, 201);
        expect(res.body).toMatchObject({ rosterId: id, visitedOn: shanghaiToday(), requestId: null });
        expect((await snapRoster(id)).visits).toBe(1);
      },
    }),
    check: async (x) => {
      // The visitor assigned records a visit wherever the resident lives; another volunteer does not.
      const v = await matrixVolunteer();
      const e = await rosterAt(x.actor.scope(), { visitor: v.id });
      const w = await accountAt(tree.grids[6]!);
      refused(await w.client!.post(`/api/care/roster/${e}/visits`, {}));
      const visit = await v.client!.post(`/api/care/roster/${e}/visits`, {
        need: 'shopping',
        note: '需要代购',
      });
      ok(visit, 201);
      const requestId = (visit.body as { requestId: number }).requestId;
      expect((await snapRequest(requestId)).source).toBe('carer');
    },
  },

  // ---- hours
  'GET /api/services/hours/rankings': {
    wholeCast: true,
    list: {
      call: async (x) => {
        for (const n of everywhere(x)) await hoursStock(n);
        return x.c.get(`/api/services/hours/rankings?period=${shanghaiToday().slice(0, 7)}&limit=500`);
      },
      check: async (res, x) => {
        ok(res);
        const list = items(res) as { id: number }[];
        expect(list.length, 'an empty list proves nothing').toBeGreaterThan(0);
        for (const p of await homePaths(list.map((i) => i.id)))
          expect(isWithin(p, x.actor.scope().path), p).toBe(true);
        await unknownNode(x.c, `/api/services/hours/rankings?period=${shanghaiToday().slice(0, 4)}`);
      },
    },
    node: {
      call: async ({ c }, n) => {
        const v = await hoursStock(n);
        const res = await c.get(
          `/api/services/hours/rankings?period=${shanghaiToday().slice(0, 4)}&node=${n.id}&limit=500`,
        );
        aims.set(res, { p: v.id, before: null });
        return [res];
      },
      inside: async (res, _x, n) => {
        ok(res);
        const list = items(res) as { id: number; hours: number }[];
        expect(list.find((i) => i.id === aimed<number>(res).p)?.hours).toBe(1.5);
        for (const p of await homePaths(list.map((i) => i.id))) expect(isWithin(p, n.path), p).toBe(true);
      },
    },
  },
  'GET /api/services/hours/rankings.xlsx': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => {
        await hoursStock(n);
        return [
          await c.get(`/api/services/hours/rankings.xlsx?period=${shanghaiToday().slice(0, 4)}&node=${n.id}`),
        ];
      },
      inside: (res) => {
        expect(res.status, String(res.body).slice(0, 200)).toBe(200);
        expect(String(res.headers['content-type'])).toContain(XLSX_MIME);
        expect(res.raw.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
      },
    },
  },
};

/** Completing a task: a note, the minutes and a photo (multipart). */
function complete(c: Client, p: { id: number }) {
  return c.request({
    method: 'POST',
    url: `/api/service-requests/${p.id}/complete`,
    ...multipart([
      { name: 'note', data: '已陪同就医' },
      { name: 'minutes', data: '30' },
      { name: 'file', filename: 'done.png', contentType: 'image/png', data: TINY_PNG },
    ]),
  });
}
