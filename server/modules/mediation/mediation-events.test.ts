// Joint handling and joint mediation linked (问题联治 ↔ 矛盾联调), over HTTP on both databases: a dispute
// reported as an event becomes a mediation case in one step by whoever receives disputes where it
// happened (the case from the event, the event closed as with mediation and naming its case, in one
// transaction, both audited); a case referred back, or failed with the route back to joint handling,
// reopens the event for triage with the mediator's note, in the case's transaction, audited and the
// triage told; any other ending leaves the event with mediation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail } from '../../../common/contracts/events.js';
import type { CaseView, MediatorView } from '../../../common/contracts/mediation.js';
import type { DB } from '../../db/index.js';
import { makeCast, makeTree, makeUser, type Tree } from '../../test/factories.js';
import { buildTestApp, type Client, type TestApp, type TestResponse } from '../../test/harness.js';
import { userIdOf } from '../../test/routes.js';
import { openSse } from '../../test/sse.js';

let t: TestApp;
let db: DB;
let tree: Tree;
let admin: Client, cadre: Client, gridworker: Client;
let mediatorId: number;
const category = new Map<string, number>();

async function ok<T>(p: Promise<TestResponse<T>>, status = 200): Promise<T> {
  const res = await p;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

/** A report by the grid worker in grid A (village A), as joint handling receives it. */
async function report(code: string, title: string) {
  const made = await ok(
    gridworker.post<{ event: EventDetail }>('/api/events', {
      categoryId: category.get(code),
      title,
      description: `${title}，双方多次争吵，请求处理。`,
      nodeId: tree.grids[0]!.id,
      reporterName: '王秀兰',
    }),
    201,
  );
  return made.event;
}
/** The case from the event, as the event's page sends it (prefilled from the event). */
const fromEvent = (e: EventDetail) => ({
  nodeId: e.node.id,
  source: 'event',
  eventId: e.id,
  disputeType: 'neighbour',
  facts: e.description,
  claims: '请求对方停止侵扰。',
  parties: [
    { side: 'applicant', name: '王秀兰' },
    { side: 'respondent', name: '赵建国' },
  ],
});
const eventOf = (c: Client, id: number) => ok(c.get<EventDetail>(`/api/events/${id}`));
const casesOfEvent = async (eventId: number) =>
  db.selectFrom('mediation_cases').select('id').where('event_id', '=', eventId).execute();
const auditOf = (action: string, entityType: string, entityId: number) =>
  db
    .selectFrom('audit_log')
    .select(['action', 'detail'])
    .where('action', '=', action)
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', String(entityId))
    .execute();

beforeAll(async () => {
  t = await buildTestApp();
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  for (const c of await db.selectFrom('event_categories').select(['id', 'code']).execute())
    category.set(c.code, c.id);
  [admin, cadre, gridworker] = await Promise.all([t.login('admin'), t.login('cadre'), t.login('gridworker')]);
  const committee = await ok(
    admin.post<{ id: number }>('/api/mediation/orgs', {
      kind: 'committee',
      name: '镇1村1人民调解委员会',
      nodeId: tree.villages[0]!.id,
    }),
    201,
  );
  await makeUser(db, 'mediator1', [{ role: 'mediator', node: tree.villages[0]! }]);
  mediatorId = (
    await ok(
      admin.post<MediatorView>('/api/mediation/mediators', {
        userId: await userIdOf(db, 'mediator1'),
        orgId: committee.id,
        specialties: ['neighbour'],
      }),
      201,
    )
  ).id;
});
afterAll(async () => t?.close());

describe(`a dispute event handed to mediation and back (${process.env.LINLI_TEST_DB ?? 'sqlite'})`, () => {
  let event: EventDetail;
  let made: CaseView;

  it('offers the hand-over on a dispute’s page to whoever receives disputes there, and to nobody else', async () => {
    event = await report('dispute.neighbour', '楼上漏水引发邻里争吵');
    expect((await eventOf(cadre, event.id)).abilities.mediate).toBe(true);
    expect((await eventOf(gridworker, event.id)).abilities.mediate).toBe(false);
    expect((await eventOf(cadre, event.id)).mediation).toBeNull();
    const litter = await report('environment.garbage', '河边垃圾');
    expect((await eventOf(cadre, litter.id)).abilities.mediate).toBe(false);
    // Not a dispute: refused, and nothing written.
    const refused = await cadre.post('/api/mediation/cases', fromEvent(litter));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'mediation.event_not_dispute' });
    expect(await casesOfEvent(litter.id)).toEqual([]);
    expect((await eventOf(cadre, litter.id)).state).toBe('reported');
    // Whoever may not receive disputes there may not hand one over.
    expect((await gridworker.post('/api/mediation/cases', fromEvent(event))).status).toBe(403);
  });

  it('makes the case from the event in one step; the event is closed as with mediation and names it, both audited', async () => {
    made = await ok(cadre.post<CaseView>('/api/mediation/cases', fromEvent(event)), 201);
    expect(made).toMatchObject({
      source: 'event',
      eventId: event.id,
      status: 'received',
      disputeType: 'neighbour',
    });
    const e = await eventOf(cadre, event.id);
    expect(e).toMatchObject({
      state: 'closed',
      closeReason: 'mediation',
      mediation: { caseId: made.id, dossierNo: made.dossierNo },
    });
    expect(e.abilities.mediate).toBe(false);
    expect(e.history.at(-1)).toMatchObject({
      action: 'close',
      toState: 'closed',
      reason: '矛盾纠纷转人民调解',
      detail: { closeReason: 'mediation', mediationCase: made.id, dossierNo: made.dossierNo },
    });
    expect(await auditOf('mediation.case.create', 'mediation_case', made.id)).toHaveLength(1);
    const closed = await auditOf('event.close', 'event', event.id);
    expect(closed).toHaveLength(1);
    expect(JSON.parse(closed[0]!.detail!)).toMatchObject({
      closeReason: 'mediation',
      mediationCase: made.id,
    });
    // The reporter does not rate a dispute while mediation has it.
    const asReporter = await eventOf(gridworker, event.id);
    expect(asReporter.actions).toEqual([]);
    expect(
      (await gridworker.post(`/api/events/${event.id}/actions`, { action: 'evaluate_satisfied' })).status,
    ).toBe(403);
  });

  it('hands an event over once: a second case from it is refused and nothing of it is kept', async () => {
    const again = await cadre.post('/api/mediation/cases', fromEvent(event));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'event.transition' });
    expect(await casesOfEvent(event.id)).toEqual([{ id: made.id }]);
  });

  it('reopens the event for triage when the case is referred back, with the note, in the same transaction, audited', async () => {
    const note = '涉及房屋结构安全，移交联治由住建部门处置。';
    const referred = await ok(
      admin.post<CaseView>(`/api/mediation/cases/${made.id}/refer`, { reason: note }),
    );
    expect(referred.status).toBe('referred');
    const e = await eventOf(cadre, event.id);
    expect(e).toMatchObject({ state: 'reopened', closeReason: null });
    // Still naming the case it came back from.
    expect(e.mediation).toEqual({ caseId: made.id, dossierNo: made.dossierNo });
    expect(e.history.at(-1)).toMatchObject({
      action: 'mediation_return',
      fromState: 'closed',
      toState: 'reopened',
      reason: note,
      detail: { mediationCase: made.id, outcome: 'referred' },
    });
    const returned = await auditOf('event.mediation_return', 'event', event.id);
    expect(returned).toHaveLength(1);
    expect(JSON.parse(returned[0]!.detail!)).toMatchObject({ from: 'closed', to: 'reopened', reason: note });
    // The triage of the event's owner hears of it; the event is theirs to dispatch again.
    const told = await db
      .selectFrom('notifications')
      .select('user_id')
      .where('kind', '=', 'event.mediation_return')
      .where('entity_id', '=', event.id)
      .execute();
    expect(told.length).toBeGreaterThan(0);
    expect((await eventOf(cadre, event.id)).actions).toContain('dispatch');
  });

  it('reopens it too when mediation fails with the route back to joint handling; any other route leaves it with mediation', async () => {
    const mediating = async (title: string) => {
      const e = await report('dispute.neighbour', title);
      const c = await ok(cadre.post<CaseView>('/api/mediation/cases', fromEvent(e)), 201);
      for (const p of c.parties)
        await ok(cadre.post(`/api/mediation/cases/${c.id}/consent`, { partyId: p.id, consent: 'yes' }));
      expect(
        (await ok(cadre.post<CaseView>(`/api/mediation/cases/${c.id}/assign`, { mediatorId }))).status,
      ).toBe('mediating');
      return { e, c };
    };
    const mediator = await t.login('mediator1');
    const back = await mediating('噪音扰邻多次协商未果');
    await ok(
      mediator.post(`/api/mediation/cases/${back.c.id}/fail`, {
        route: 'joint_handling',
        note: '双方分歧较大，退回联治。',
      }),
    );
    const reopened = await eventOf(cadre, back.e.id);
    expect(reopened.state).toBe('reopened');
    expect(reopened.history.at(-1)).toMatchObject({
      action: 'mediation_return',
      reason: '双方分歧较大，退回联治。',
      detail: { mediationCase: back.c.id, outcome: 'failed' },
    });

    const court = await mediating('宅基地界址争议');
    await ok(
      mediator.post(`/api/mediation/cases/${court.c.id}/fail`, {
        route: 'litigation',
        note: '告知诉讼途径。',
      }),
    );
    const stays = await eventOf(cadre, court.e.id);
    expect(stays).toMatchObject({ state: 'closed', closeReason: 'mediation' });
    expect(await auditOf('event.mediation_return', 'event', court.e.id)).toEqual([]);
  });

  it('sends the place’s open pages a live update as a case is made and changes, and none to another town’s', async () => {
    const here = await openSse(t.app, { client: cadre });
    const above = await openSse(t.app, { client: await t.login('towncmd') });
    try {
      expect(here.status).toBe(200);
      const e = await report('dispute.neighbour', '工地噪音扰民');
      const c = await ok(cadre.post<CaseView>('/api/mediation/cases', fromEvent(e)), 201);
      const made = await here.waitFor(
        (u) => u.kind === 'mediation.case_created' && u.json?.payload.id === c.id,
      );
      expect(made.json!.payload).toMatchObject({ id: c.id, status: 'received' });
      // The event's own step, in the same commit.
      await here.waitFor((u) => u.kind === 'event.close' && u.json?.payload.id === e.id);
      await ok(
        cadre.post(`/api/mediation/cases/${c.id}/consent`, { partyId: c.parties[0]!.id, consent: 'yes' }),
      );
      await here.waitFor((u) => u.kind === 'mediation.case_changed' && u.json?.payload.id === c.id);
      // Town A's commander sees village A's updates too (it lies in their jurisdiction).
      await above.waitFor((u) => u.kind === 'mediation.case_created' && u.json?.payload.id === c.id);
    } finally {
      here.close();
      above.close();
    }
    // A case in town B reaches town B's cadre, not village A's.
    const other = await openSse(t.app, { client: cadre });
    await makeUser(db, 'cadreB', [{ role: 'village_cadre', node: tree.villages[2]! }]);
    const theirs = await openSse(t.app, { client: await t.login('cadreB') });
    try {
      await ok(
        admin.post('/api/mediation/orgs', {
          kind: 'committee',
          name: '镇2村1人民调解委员会',
          nodeId: tree.villages[2]!.id,
        }),
        201,
      );
      const b = await ok(
        admin.post<CaseView>('/api/mediation/cases', {
          nodeId: tree.villages[2]!.id,
          source: 'initiative',
          disputeType: 'neighbour',
          facts: '镇2的纠纷。',
          claims: '请求调解。',
          parties: [
            { side: 'applicant', name: '钱一' },
            { side: 'respondent', name: '孙二' },
          ],
        }),
        201,
      );
      await theirs.waitFor((u) => u.kind === 'mediation.case_created' && u.json?.payload.id === b.id);
      expect(other.events.some((u) => u.kind.startsWith('mediation.') && u.json?.payload.id === b.id)).toBe(
        false,
      );
    } finally {
      other.close();
      theirs.close();
    }
  });
});
