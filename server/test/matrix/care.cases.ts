// Route-matrix cases: psychological care (心理关爱). Every record is placed through the API by the
// admin (system_admin at the district, so a sender and a counsellor everywhere): a person in home
// observation at the target (POST /api/observations), a PHQ-9 link sent to them, filled on the
// public page (item 9 at 1 raises an urgent alert), the alert acknowledged (the person joins the
// admin's caseload), the case referred or closed. Only ids the API does not answer (a response's,
// an alert's) are read from the database.
//
// A call expected to go through gets a record of its own; a call expected to be refused is aimed at
// the node's stock, placed once, and every refused call is shown to have changed nothing. The cast
// hold their permissions at the root of their scope, so holding one is holding it everywhere inside.
//
// Whom a scale is sent to, or a case opened for, answers 404 (care_person) outside the caller's
// place, as for a person on no care list inside it: a stranger learns nothing of who is in
// observation. The one-time links are their own credential: the public routes' checks show a link
// opening its own questionnaire and nothing else. The cast hold no counsellor's role: the people
// list's check places a counsellor at the caller's place, who reads no registry (no people.read)
// and reaches only the people in observation there, their caseload and those they sent a scale.
import { expect } from 'vitest';
import type {
  AlertView,
  CarePerson,
  CaseSummary,
  CaseView,
  LinkCreated,
  LinkView,
  ResponseView,
} from '../../../common/contracts/care.js';
import { makeUser, type TreeNode } from '../factories.js';
import type { Client } from '../harness.js';
import { isWithin } from '../routes.js';
import {
  adminClient,
  aimed,
  aims,
  answer,
  db,
  everywhere,
  inEachState,
  items,
  may,
  ok,
  onRecord,
  pathsOfIds,
  personAt,
  personStates,
  refused,
  shanghaiToday,
  stockOnce,
  t,
  tree,
  type Case,
  type Ctx,
  type Res,
} from './driver.js';

const works = (x: Ctx) => may(x.c, 'counselling.work');
const reads = (x: Ctx) => may(x.c, 'counselling.read');
const sends = (x: Ctx) => may(x.c, 'scales.send');

/** Promises made once per key (per node and state): the stock. */
const once = stockOnce();
let serial = 0;
const NO_SUCH_TOKEN = 'A'.repeat(43);
/** PHQ-9's ten answers (the tenth, unscored, left unanswered): calm, and item 9 ("better off dead") at 1. */
const CALM = [0, 0, 0, 0, 0, 0, 0, 0, 0, null];
const CRISIS = [0, 0, 0, 0, 0, 0, 0, 0, 1, null];

// ---------------------------------------------------------------------------------------------
// People, links, responses, alerts and cases placed at a node.

/** A person in home observation at n, ordered by the admin: whom a scale may be sent to. */
async function observedAt(n: TreeNode): Promise<number> {
  const personId = await personAt(n);
  ok(
    await adminClient.post('/api/observations', {
      personId,
      startDate: shanghaiToday(),
      days: 14,
      reason: '密切接触者',
    }),
    201,
  );
  return personId;
}
const nameOf = async (personId: number) =>
  (await db.selectFrom('persons').select('name').where('id', '=', personId).executeTakeFirstOrThrow()).name;

interface Link {
  id: number;
  token: string;
  personId: number;
}
/** A PHQ-9 link the admin sent to a person in observation at n. */
async function linkAt(n: TreeNode): Promise<Link> {
  const personId = await observedAt(n);
  const l = await answer(adminClient.post<LinkCreated>('/api/scales/PHQ-9/links', { personId }), 201);
  return { id: l.id, token: l.token, personId };
}
const publicUrl = (l: Link) => `/api/public/scales/${l.token}`;
const submit = (l: Link, answers: (number | null)[]) => t.anon().post(publicUrl(l), { answers });
const linkRow = (id: number) =>
  db.selectFrom('care_links').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const responsesOfLink = (linkId: number) =>
  db.selectFrom('care_responses').select('id').where('link_id', '=', linkId).execute();

interface Filled {
  id: number;
  personId: number;
}
/** A PHQ-9 filled by a person in observation at n: calm, or raising an urgent alert. */
async function responseAt(n: TreeNode, crisis: boolean): Promise<Filled> {
  const l = await linkAt(n);
  expect(await answer(submit(l, crisis ? CRISIS : CALM))).toEqual({
    total: crisis ? 1 : 0,
    band: 'minimal',
  });
  const [r] = await responsesOfLink(l.id);
  return { id: r!.id, personId: l.personId };
}
const responseStock = (n: TreeNode, state: 'calm' | 'crisis') =>
  once(`response ${state} ${n.id}`, () => responseAt(n, state === 'crisis'));
const responseStates = async (n: TreeNode) => ({
  calm: await responseStock(n, 'calm'),
  crisis: await responseStock(n, 'crisis'),
});
const readAudits = async (responseId: number) =>
  (
    await db
      .selectFrom('audit_log')
      .select('id')
      .where('entity_type', '=', 'care_response')
      .where('entity_id', '=', String(responseId))
      .where('action', 'in', ['care.response.read', 'care.response.export'])
      .execute()
  ).length;

/** An urgent alert at n: a person in observation there filled PHQ-9 with item 9 at 1. */
async function alertAt(n: TreeNode): Promise<number> {
  const r = await responseAt(n, true);
  return (
    await db.selectFrom('care_alerts').select('id').where('response_id', '=', r.id).executeTakeFirstOrThrow()
  ).id;
}
const acknowledge = (c: Client, id: number) => c.post(`/api/care/alerts/${id}/acknowledge`, {});
const alertStock = (n: TreeNode, state: 'open' | 'acknowledged') =>
  once(`alert ${state} ${n.id}`, async () => {
    const id = await alertAt(n);
    if (state === 'acknowledged') ok(await acknowledge(adminClient, id));
    return id;
  });
const alertStates = async (n: TreeNode) => ({
  open: await alertStock(n, 'open'),
  acknowledged: await alertStock(n, 'acknowledged'),
});
async function snapAlert(id: number) {
  const a = await db.selectFrom('care_alerts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const cases = await db.selectFrom('care_cases').select('id').where('person_id', '=', a.person_id).execute();
  return { alert: a, cases: cases.length };
}

type CaseState = 'open' | 'referred' | 'closed';
/** A case at n: an alert there acknowledged by the admin, the case then referred or closed when asked. */
async function caseAt(n: TreeNode, state: CaseState = 'open'): Promise<number> {
  const alert = await answer(
    adminClient.post<AlertView>(`/api/care/alerts/${await alertAt(n)}/acknowledge`, {}),
  );
  const id = alert.caseId!;
  expect(id, JSON.stringify(alert)).toBeGreaterThan(0);
  if (state === 'referred')
    ok(await adminClient.post(`/api/care/cases/${id}/refer`, { kind: 'community_health', note: '转介' }));
  if (state === 'closed') ok(await adminClient.post(`/api/care/cases/${id}/close`, { note: '情况稳定' }));
  return id;
}
const caseStock = (n: TreeNode, state: CaseState) => once(`case ${state} ${n.id}`, () => caseAt(n, state));
const caseStates = async (n: TreeNode) => ({
  open: await caseStock(n, 'open'),
  referred: await caseStock(n, 'referred'),
  closed: await caseStock(n, 'closed'),
});
async function snapCase(id: number) {
  return {
    case: await db.selectFrom('care_cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
    contacts: (await db.selectFrom('care_contacts').select('id').where('case_id', '=', id).execute()).length,
  };
}
const casesOf = (personId: number) =>
  db.selectFrom('care_cases').select('id').where('person_id', '=', personId).execute();
const linksOf = (personId: number) =>
  db.selectFrom('care_links').select('id').where('person_id', '=', personId).execute();

/** A node case on a case at the target, open until the call. */
const onCase = (o: {
  call: (c: Client, id: number) => Promise<Res>;
  done: (res: Res, id: number) => Promise<void> | void;
}) =>
  onRecord<number>({
    goes: works,
    fresh: (n) => caseAt(n),
    stock: (n) => caseStock(n, 'open'),
    snap: snapCase,
    call: o.call,
    done: o.done,
  });
/** A scope-before-state case on the cases placed at the target, open, referred and closed. */
const inCaseStates =
  (call: (c: Client, id: number) => Promise<Res>): Case['states'] =>
  async ({ c }, n) =>
    inEachState(await caseStates(n), (id) => call(c, id));

/** People at n in the states a sender or a counsellor may meet them in: in observation, registered only, merged away. */
async function personCareStates(n: TreeNode) {
  const { registered, merged } = await personStates(n);
  return { observed: await observedAt(n), registered, merged };
}

/** A counsellor (the counsellor's role) at n, signed in: placed once per node. */
const counsellorAt = (n: TreeNode) =>
  once(`counsellor ${n.id}`, async () => {
    const username = `mcounsel${++serial}`;
    const id = await makeUser(db, username, [{ role: 'counsellor', node: n }]);
    return { id, client: await t.login(username) };
  });
/** A place outside the caller's scope that does not hold it (not one of its ancestors), if any. */
const sibling = (x: Pick<Ctx, 'actor'>) =>
  x.actor.outside().find((o) => !isWithin(x.actor.scope().path, o.path));
const userIdOf = async (username: string) =>
  (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;

/** Every item's node lies within the path, and the list is not empty. */
async function allWithin(ids: number[], path: string) {
  expect(ids.length, 'an empty list proves nothing').toBeGreaterThan(0);
  for (const p of await pathsOfIds(ids)) expect(isWithin(p, path), p).toBe(true);
}

/** A scale definition of one scored item, two options, one band and no crisis rule. */
const tinyScale = (code: string) => ({
  code,
  title: { zh: '矩阵量表', en: 'Matrix scale' },
  definition: {
    intro: { zh: '请回答', en: 'Please answer' },
    options: [
      { value: 0, label: { zh: '否', en: 'No' } },
      { value: 1, label: { zh: '是', en: 'Yes' } },
    ],
    items: [{ key: 'a', label: { zh: '睡得好吗', en: 'Sleeping well?' }, scored: true }],
    bands: [{ code: 'all', min: 0, max: 1, label: { zh: '全部', en: 'All' } }],
    crisis: [],
  },
});
const scalesCoded = (code: string) =>
  db.selectFrom('care_scales').select('id').where('code', '=', code).execute();

// ---------------------------------------------------------------------------------------------

export const careCases: Record<string, Case> = {
  // ---- scales
  'GET /api/scales': {
    unscoped: 'the scales are district-wide data (questions and scoring), nobody’s answers',
    wholeCast: true,
    check: async ({ c }) => {
      const list = await answer(c.get<{ items: { code: string; builtin: boolean }[] }>('/api/scales'));
      expect(list.items.filter((s) => s.builtin).map((s) => s.code)).toEqual(
        expect.arrayContaining(['PHQ-9', 'GAD-7']),
      );
    },
  },
  'POST /api/scales': {
    unscoped:
      'scales are district-wide: only who holds scales.manage at the tree root adds one, as a questionnaire',
    wholeCast: true,
    check: async (x) => {
      const code = `M-${++serial}`;
      const res = await x.c.post('/api/scales', tinyScale(code));
      const districtWide = x.actor.scope() === tree.district && (await may(x.c, 'scales.manage'));
      if (!districtWide) {
        refused(res);
        expect(await scalesCoded(code)).toEqual([]);
        return;
      }
      ok(res, 201);
      expect(res.body).toMatchObject({ code, builtin: false, itemCount: 1, maxTotal: 1 });
      // Bands that leave a total uncovered are refused, and nothing is kept.
      const gap = tinyScale(`M-${++serial}`);
      gap.definition.bands = [{ code: 'low', min: 0, max: 0, label: { zh: '低', en: 'Low' } }];
      refused(await x.c.post('/api/scales', gap), 400);
      expect(await scalesCoded(gap.code)).toEqual([]);
      refused(await x.c.post('/api/scales', tinyScale(code)), 409);
    },
  },
  'GET /api/scales/:code/fhir': {
    unscoped: 'a scale as a FHIR Questionnaire: district-wide data, nobody’s answers',
    stateless: 'a scale is district-wide data named by its code, placed nowhere in the tree',
    wholeCast: true,
    check: async ({ c }) => {
      const res = await c.get('/api/scales/PHQ-9/fhir');
      ok(res);
      expect(String(res.headers['content-type'])).toContain('application/fhir+json');
      expect(res.body).toMatchObject({ resourceType: 'Questionnaire' });
      refused(await c.get('/api/scales/NO-SUCH/fhir'), 404);
    },
  },
  'POST /api/scales/:code/links': {
    wholeCast: true,
    // The scale is named by its code; the person, in the body, is the record placed in the tree.
    states: async ({ c }, n) =>
      inEachState(await personCareStates(n), (personId) => c.post('/api/scales/PHQ-9/links', { personId })),
    node: {
      call: async ({ c }, n) => {
        const personId = await observedAt(n);
        const res = await c.post('/api/scales/PHQ-9/links', { personId, hours: 24 });
        aims.set(res, { p: personId, before: null });
        return [res];
      },
      inside: async (res) => {
        ok(res, 201);
        const l = res.body as LinkCreated;
        expect(l.url).toBe(`/s/${l.token}`);
        expect((await linksOf(aimed<number>(res).p)).map((r) => r.id)).toEqual([l.id]);
      },
      // Outside the caller's place the person answers as if there were none.
      outside: async (res) => {
        refused(res, 404);
        expect((res.body as { code: string }).code).toBe('not_found');
        expect(await linksOf(aimed<number>(res).p)).toEqual([]);
      },
    },
    check: async (x) => {
      if (!(await sends(x))) return;
      // Inside: a person on no care list answers as a stranger does, and no link is made.
      const registered = await personAt(x.actor.scope());
      refused(await x.c.post('/api/scales/PHQ-9/links', { personId: registered }), 404);
      refused(await x.c.post('/api/scales/NO-SUCH/links', { personId: registered }), 404);
      expect(await linksOf(registered)).toEqual([]);
    },
  },
  'GET /api/scale-links': {
    wholeCast: true,
    list: {
      call: async (x) => {
        for (const n of everywhere(x)) await linkAt(n);
        if (await sends(x))
          ok(await x.c.post('/api/scales/PHQ-9/links', { personId: await observedAt(x.actor.scope()) }), 201);
        return x.c.get('/api/scale-links');
      },
      // The caller's own links, and (counsellors) those of their place: nothing else.
      check: async (res, x) => {
        ok(res);
        const list = items(res) as LinkView[];
        expect(list.length, 'an empty list proves nothing').toBeGreaterThan(0);
        const me = await userIdOf(x.actor.name);
        const readsHere = await reads(x);
        const rows = await db
          .selectFrom('care_links')
          .select(['id', 'node_path', 'sent_by'])
          .where(
            'id',
            'in',
            list.map((l) => l.id),
          )
          .execute();
        for (const r of rows)
          expect(
            r.sent_by === me || (readsHere && isWithin(r.node_path, x.actor.scope().path)),
            JSON.stringify(r),
          ).toBe(true);
        for (const l of list) expect(l).not.toHaveProperty('answers');
      },
    },
    // ?personId=: that person's links the caller may see; none of a stranger's.
    node: {
      call: async (x, n, where) => {
        const l = await linkAt(n);
        const own =
          where === 'inside' && (await sends(x))
            ? await answer(x.c.post<LinkCreated>('/api/scales/PHQ-9/links', { personId: l.personId }), 201)
            : null;
        const res = await x.c.get(`/api/scale-links?personId=${l.personId}`);
        aims.set(res, { p: { admins: l.id, own: own?.id ?? null, personId: l.personId }, before: null });
        return [res];
      },
      inside: async (res, x) => {
        ok(res);
        const { admins, own, personId } = aimed<{ admins: number; own: number | null; personId: number }>(
          res,
        ).p;
        const list = items(res) as LinkView[];
        for (const l of list) expect(l.person.id).toBe(personId);
        const ids = list.map((l) => l.id);
        if (own !== null) expect(ids).toContain(own);
        if (await reads(x)) expect(ids).toContain(admins);
        else expect(ids).not.toContain(admins);
      },
      outside: (res) => {
        ok(res);
        expect(items(res)).toEqual([]);
      },
    },
  },

  // ---- the person's page
  'GET /api/public/scales/:token': {
    stateless: 'a one-time link is its own credential: public, and it opens that questionnaire only',
    unscoped: 'public: the questions of the link’s scale and the answers kept so far; nothing of anyone',
    check: async ({ actor }) => {
      const l = await linkAt(actor.scope());
      const page = await answer(
        t.anon().get<{ code: string; greeting: string; draft: unknown }>(publicUrl(l)),
      );
      expect(Object.keys(page).sort()).toEqual([
        'code',
        'definition',
        'draft',
        'expiresAt',
        'greeting',
        'title',
      ]);
      expect(page.code).toBe('PHQ-9');
      expect(page.draft).toBeNull();
      // The person's name masked: enough to know the page is theirs.
      const name = [...(await nameOf(l.personId))];
      expect(page.greeting).not.toBe(name.join(''));
      expect(page.greeting.startsWith(name[0]!)).toBe(true);
      refused(await t.anon().get(`/api/public/scales/${NO_SUCH_TOKEN}`), 404);
      refused(await t.anon().get('/api/public/scales/short'), 400);
      // Used: gone.
      ok(await submit(l, CALM));
      refused(await t.anon().get(publicUrl(l)), 410);
    },
  },
  'PUT /api/public/scales/:token/draft': {
    stateless: 'a one-time link is its own credential: public, and it keeps that link’s answers only',
    unscoped: 'public: the answers so far, kept on the link (encrypted) and shown back on its page only',
    check: async ({ actor }) => {
      const l = await linkAt(actor.scope());
      const draft = [1, 2, ...Array<null>(8).fill(null)];
      const saved = await answer(
        t.anon().put<{ savedAt: string }>(`${publicUrl(l)}/draft`, { answers: draft }),
      );
      expect(typeof saved.savedAt).toBe('string');
      expect((await answer(t.anon().get<{ draft: unknown }>(publicUrl(l)))).draft).toEqual(draft);
      // An answer the scale does not offer is refused, and the draft kept is the one before.
      const before = await linkRow(l.id);
      refused(await t.anon().put(`${publicUrl(l)}/draft`, { answers: [7, ...draft.slice(1)] }), 400);
      expect(await linkRow(l.id)).toEqual(before);
      // Another link's page shows nothing of it.
      const other = await linkAt(actor.scope());
      expect((await answer(t.anon().get<{ draft: unknown }>(publicUrl(other)))).draft).toBeNull();
      ok(await submit(l, CALM));
      refused(await t.anon().put(`${publicUrl(l)}/draft`, { answers: [0] }), 410);
      refused(await t.anon().put(`/api/public/scales/${NO_SUCH_TOKEN}/draft`, { answers: [0] }), 404);
    },
  },
  'POST /api/public/scales/:token': {
    stateless: 'a one-time link is its own credential: public, and it is used once, for that person only',
    unscoped:
      'public: answers the total and band only; the answers stay health data, an item-9 answer raises an alert at the person’s place',
    check: async ({ actor }) => {
      const l = await linkAt(actor.scope());
      // Incomplete: refused, the link still unused and nothing scored.
      refused(await submit(l, [0, 0, 0]), 400);
      expect((await linkRow(l.id)).used_at).toBeNull();
      expect(await responsesOfLink(l.id)).toEqual([]);
      const res = await submit(l, CRISIS);
      ok(res);
      expect(res.body).toEqual({ total: 1, band: 'minimal' });
      const [r] = await responsesOfLink(l.id);
      const alert = await db
        .selectFrom('care_alerts')
        .select(['node_path', 'status'])
        .where('response_id', '=', r!.id)
        .executeTakeFirstOrThrow();
      const person = await db
        .selectFrom('persons')
        .select('node_path')
        .where('id', '=', l.personId)
        .executeTakeFirstOrThrow();
      expect(alert).toEqual({ node_path: person.node_path, status: 'open' });
      // Once only.
      const again = await submit(l, CALM);
      refused(again, 410);
      expect((again.body as { code: string }).code).toBe('care.link_used');
      expect(await responsesOfLink(l.id)).toHaveLength(1);
      refused(await t.anon().post(`/api/public/scales/${NO_SUCH_TOKEN}`, { answers: CALM }), 404);
    },
  },

  // ---- alerts and responses
  'GET /api/care/alerts': {
    wholeCast: true,
    list: {
      call: async (x) => {
        for (const n of everywhere(x)) await alertStock(n, 'open');
        return x.c.get('/api/care/alerts');
      },
      // Those reading answers or following alerts: their place's alerts; the answers to counsellors only.
      check: async (res, x) => {
        if (!(await reads(x)) && !(await may(x.c, 'counselling.alerts'))) return refused(res);
        ok(res);
        const list = items(res) as AlertView[];
        await allWithin(
          list.map((a) => a.node.id),
          x.actor.scope().path,
        );
        const readsHere = await reads(x);
        const worksHere = await works(x);
        for (const a of list) {
          expect(a.detail === null, JSON.stringify(a)).toBe(!readsHere);
          expect(a.abilities.acknowledge).toBe(a.status === 'open' && worksHere);
        }
      },
    },
  },
  'POST /api/care/alerts/:id/acknowledge': {
    wholeCast: true,
    states: async ({ c }, n) => inEachState(await alertStates(n), (id) => acknowledge(c, id)),
    node: onRecord<number>({
      goes: works,
      fresh: alertAt,
      stock: (n) => alertStock(n, 'open'),
      snap: snapAlert,
      call: acknowledge,
      done: async (res, id) => {
        ok(res);
        const a = res.body as AlertView;
        expect(a).toMatchObject({ id, status: 'acknowledged' });
        expect(a.caseId).not.toBeNull();
        expect((await snapAlert(id)).cases).toBe(1);
        // Acknowledged once: the next answers 409.
        refused(await adminClient.post(`/api/care/alerts/${id}/acknowledge`, {}), 409);
      },
    }),
  },
  'GET /api/care/responses/:id': {
    wholeCast: true,
    states: async ({ c }, n) =>
      inEachState(await responseStates(n), (r) => c.get(`/api/care/responses/${r.id}`)),
    node: {
      call: async ({ c }, n) => {
        const r = await responseStock(n, 'crisis');
        const before = await readAudits(r.id);
        const res = await c.get(`/api/care/responses/${r.id}`);
        aims.set(res, { p: r, before });
        return [res];
      },
      inside: async (res) => {
        const { p, before } = aimed<Filled>(res);
        ok(res);
        const v = res.body as ResponseView;
        expect(v).toMatchObject({ id: p.id, scale: 'PHQ-9', total: 1, person: { id: p.personId } });
        expect(v.items).toHaveLength(10);
        expect(v.crisis).toEqual([{ kind: 'item', key: '9', value: 1 }]);
        // Every read of the answers is audited.
        expect(await readAudits(p.id)).toBe((before as number) + 1);
      },
      outside: async (res) => {
        const { p, before } = aimed<Filled>(res);
        refused(res);
        expect(await readAudits(p.id)).toBe(before);
      },
    },
  },
  'GET /api/care/responses/:id/fhir': {
    wholeCast: true,
    states: async ({ c }, n) =>
      inEachState(await responseStates(n), (r) => c.get(`/api/care/responses/${r.id}/fhir`)),
    node: {
      call: async ({ c }, n) => {
        const r = await responseStock(n, 'calm');
        const before = await readAudits(r.id);
        const res = await c.get(`/api/care/responses/${r.id}/fhir`);
        aims.set(res, { p: r, before });
        return [res];
      },
      inside: async (res) => {
        const { p, before } = aimed<Filled>(res);
        ok(res);
        expect(String(res.headers['content-type'])).toContain('application/fhir+json');
        expect(res.body).toMatchObject({ resourceType: 'Bundle' });
        expect(await readAudits(p.id)).toBe((before as number) + 1);
      },
      outside: async (res) => {
        const { p, before } = aimed<Filled>(res);
        refused(res);
        expect(await readAudits(p.id)).toBe(before);
      },
    },
  },

  // ---- people and caseloads
  'GET /api/care/people': {
    wholeCast: true,
    list: {
      call: async (x) => {
        for (const n of everywhere(x)) await once(`observed ${n.id}`, () => observedAt(n));
        return x.c.get('/api/care/people');
      },
      // People in observation of the caller's place, and those the caller reached anywhere.
      check: async (res, x) => {
        ok(res);
        const list = items(res) as CarePerson[];
        expect(list.length, 'an empty list proves nothing').toBeGreaterThan(0);
        const me = await userIdOf(x.actor.name);
        const reached = new Set([
          ...(await db.selectFrom('care_links').select('person_id').where('sent_by', '=', me).execute()).map(
            (r) => r.person_id,
          ),
          ...(
            await db.selectFrom('care_cases').select('person_id').where('counsellor_id', '=', me).execute()
          ).map((r) => r.person_id),
        ]);
        const persons = await db
          .selectFrom('persons')
          .select(['id', 'node_path'])
          .where(
            'id',
            'in',
            list.map((p) => p.id),
          )
          .execute();
        for (const p of persons)
          expect(isWithin(p.node_path, x.actor.scope().path) || reached.has(p.id), JSON.stringify(p)).toBe(
            true,
          );
      },
    },
    // A counsellor at the caller's place: no registry, only the people care reaches.
    check: async (x) => {
      const n = x.actor.scope();
      const counsellor = await counsellorAt(n);
      refused(await counsellor.client.get('/api/people'));
      // By name (the names are 矩阵<n>: a name finds others whose number starts with its own).
      const find = async (personId: number) =>
        (
          await answer(
            counsellor.client.get<{ items: CarePerson[] }>(
              `/api/care/people?q=${encodeURIComponent(await nameOf(personId))}`,
            ),
          )
        ).items.map((p) => p.id);
      const observed = await observedAt(n);
      expect(await find(observed)).toContain(observed);
      // Registered only, or in observation elsewhere: not theirs to reach.
      const registered = await personAt(n);
      expect(await find(registered)).not.toContain(registered);
      const elsewhere = sibling(x);
      if (elsewhere) {
        const away = await observedAt(elsewhere);
        expect(await find(away)).not.toContain(away);
        refused(await counsellor.client.post('/api/scales/PHQ-9/links', { personId: away }), 404);
        refused(await counsellor.client.post('/api/care/cases', { personId: away }), 404);
        expect(await linksOf(away)).toEqual([]);
      }
      // In observation at their place: a scale sent, a case opened.
      ok(await counsellor.client.post('/api/scales/PHQ-9/links', { personId: observed }), 201);
      const opened = await answer(
        counsellor.client.post<CaseView>('/api/care/cases', { personId: observed }),
        201,
      );
      expect(opened.counsellor.id).toBe(counsellor.id);
    },
  },
  'GET /api/care/cases': {
    wholeCast: true,
    list: {
      call: async (x) => {
        for (const n of everywhere(x)) await caseStock(n, 'open');
        return x.c.get('/api/care/cases?pageSize=200');
      },
      check: async (res, x) => {
        ok(res);
        await allWithin(
          (items(res) as CaseSummary[]).map((c) => c.node.id),
          x.actor.scope().path,
        );
        refused(await x.c.get('/api/care/cases?node=999999'), 404);
      },
    },
    node: {
      call: async (x, n, where) => {
        const through = where === 'inside' && (await reads(x));
        const id = through ? await caseAt(n) : await caseStock(n, 'open');
        // A case of its own due long ago: first on the page of those due.
        if (through) ok(await adminClient.patch(`/api/care/cases/${id}`, { nextContactOn: '2020-01-01' }));
        const res = await x.c.get(`/api/care/cases?node=${n.id}&due=1&pageSize=200`);
        aims.set(res, { p: id, before: null });
        return [res];
      },
      inside: async (res, _x, n) => {
        ok(res);
        const list = items(res) as CaseSummary[];
        await allWithin(
          list.map((c) => c.node.id),
          n.path,
        );
        expect(list.map((c) => c.id)).toContain(aimed<number>(res).p);
      },
    },
  },
  'POST /api/care/cases': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => {
        const personId = await observedAt(n);
        const res = await c.post('/api/care/cases', { personId });
        aims.set(res, { p: personId, before: null });
        return [res];
      },
      inside: async (res) => {
        ok(res, 201);
        const v = res.body as CaseView;
        expect(v).toMatchObject({ person: { id: aimed<number>(res).p }, status: 'open', risk: 'low' });
        expect((await casesOf(aimed<number>(res).p)).map((r) => r.id)).toEqual([v.id]);
      },
      // Outside the caller's place the person answers as if there were none.
      outside: async (res) => {
        refused(res, 404);
        expect(await casesOf(aimed<number>(res).p)).toEqual([]);
      },
    },
  },
  'GET /api/care/cases/:id': {
    wholeCast: true,
    states: inCaseStates((c, id) => c.get(`/api/care/cases/${id}`)),
    node: {
      call: async ({ c }, n) => {
        const id = await caseStock(n, 'open');
        const res = await c.get(`/api/care/cases/${id}`);
        aims.set(res, { p: id, before: null });
        return [res];
      },
      inside: async (res, x) => {
        ok(res);
        const v = res.body as CaseView;
        expect(v.id).toBe(aimed<number>(res).p);
        expect(v.responses.map((r) => r.crisis)).toEqual([true]);
        expect(v.abilities.contact).toBe(await works(x));
      },
    },
    check: async (x) => refused(await x.c.get('/api/care/cases/999999'), (await reads(x)) ? 404 : 403),
  },
  'PATCH /api/care/cases/:id': {
    wholeCast: true,
    states: inCaseStates((c, id) => c.patch(`/api/care/cases/${id}`, { risk: 'moderate' })),
    node: onCase({
      call: (c, id) => c.patch(`/api/care/cases/${id}`, { risk: 'moderate', nextContactOn: '2031-01-01' }),
      done: (res, id) => {
        ok(res);
        expect(res.body as CaseView).toMatchObject({ id, risk: 'moderate', nextContactOn: '2031-01-01' });
      },
    }),
  },
  'POST /api/care/cases/:id/contacts': {
    wholeCast: true,
    states: inCaseStates((c, id) => c.post(`/api/care/cases/${id}/contacts`, { kind: 'call', note: '矩阵' })),
    node: onCase({
      call: (c, id) =>
        c.post(`/api/care/cases/${id}/contacts`, { kind: 'visit', note: '上门看望', risk: 'moderate' }),
      done: async (res, id) => {
        ok(res, 201);
        const v = res.body as CaseView;
        expect(v).toMatchObject({ id, risk: 'moderate' });
        expect(v.contacts.map((k) => [k.kind, k.note])).toEqual([['visit', '上门看望']]);
        expect((await snapCase(id)).contacts).toBe(1);
      },
    }),
  },
  'POST /api/care/cases/:id/refer': {
    wholeCast: true,
    states: inCaseStates((c, id) => c.post(`/api/care/cases/${id}/refer`, { kind: 'hotline', note: '矩阵' })),
    node: onCase({
      call: (c, id) => c.post(`/api/care/cases/${id}/refer`, { kind: 'psychiatry', note: '转精神科' }),
      done: (res, id) => {
        ok(res);
        expect(res.body as CaseView).toMatchObject({
          id,
          status: 'referred',
          referral: { kind: 'psychiatry', note: '转精神科' },
        });
      },
    }),
  },
  'POST /api/care/cases/:id/close': {
    wholeCast: true,
    states: inCaseStates((c, id) => c.post(`/api/care/cases/${id}/close`, { note: '矩阵' })),
    node: onCase({
      call: (c, id) => c.post(`/api/care/cases/${id}/close`, { note: '情况稳定' }),
      done: async (res, id) => {
        ok(res);
        expect(res.body as CaseView).toMatchObject({ id, status: 'closed', nextContactOn: null });
        // Closed: nothing more is recorded on it.
        refused(
          await adminClient.post(`/api/care/cases/${id}/contacts`, { kind: 'call', note: '矩阵' }),
          409,
        );
      },
    }),
  },
  'GET /api/care/stats': {
    wholeCast: true,
    list: {
      call: (x) => x.c.get('/api/care/stats'),
      check: async (res, x) => {
        ok(res);
        expect((res.body as { node: { id: number } }).node.id).toBe(x.actor.scope().id);
        refused(await x.c.get('/api/care/stats?node=999999'), 404);
      },
    },
    node: {
      call: async ({ c }, n) => {
        await once(`stats link ${n.id}`, () => linkAt(n));
        return [await c.get(`/api/care/stats?node=${n.id}`)];
      },
      inside: async (res, _x, n) => {
        ok(res);
        const b = res.body as {
          node: { id: number };
          totals: { sent: number | '<5' };
          children: { id: number }[];
        };
        expect(b.node.id).toBe(n.id);
        expect(b.totals.sent).not.toBe(0);
        for (const p of await pathsOfIds(b.children.map((ch) => ch.id)))
          expect(isWithin(p, n.path) && p !== n.path, p).toBe(true);
      },
    },
  },
};
