// The demo's epidemic-response command: opened two weeks ago at the district, with directives in every
// stage of the cascade — one long done (signed, relayed by a street to its communities, reported back
// everywhere), one three days old with laggards the sweep has escalated, one issued to every grid this
// morning and half signed, and one just issued to the towns that waits for them (the demo town
// commander can relay it). Steps go through the directives service with its clock moved along, so
// history, counters, notifications and audit are what real use leaves.
import type { Actor, ActorAssignment, RequestContext } from '../platform/actor.js';
import { loadActor } from '../platform/auth.js';
import type { DB } from '../db/index.js';
import { newUserRow } from '../modules/accounts/index.js';
import { createCommandsService, createDirectivesService } from '../modules/command/index.js';
import { prng } from './names.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type NodeRow = { id: number; path: string; level: string; name: string; parent_id: number | null };

export async function seedDemoCommand(db: DB, opts: { now?: Date } = {}): Promise<number> {
  const realNow = (opts.now ?? new Date()).getTime();
  let clock = realNow - 14 * DAY;
  const now = () => new Date(clock).toISOString();
  const commands = createCommandsService({ db, now });
  const directives = createDirectivesService({ db, now });
  const r = prng(20_200_123);

  const users = new Map(
    (
      await db
        .selectFrom('users')
        .select(['id', 'username'])
        .where('username', 'in', ['commander', 'towncmd'])
        .execute()
    ).map((u) => [u.username, u.id]),
  );
  const commander: RequestContext = {
    actor: await loadActor(db, users.get('commander')!, 'session'),
    requestId: 'demo-command',
  };
  const townCommander = (await loadActor(db, users.get('towncmd')!, 'session'))!;
  const nodes: NodeRow[] = await db
    .selectFrom('nodes')
    .select(['id', 'path', 'level', 'name', 'parent_id'])
    .where('retired_at', 'is', null)
    .orderBy('path')
    .execute();
  const district = nodes.find((n) => n.level === 'district')!;
  const towns = nodes.filter((n) => n.level === 'town');
  const demoTown = towns.find((t) => t.id === townCommander.assignments[0]!.nodeId)!;

  // The demo has accounts at a few places only; the steps elsewhere are taken by a duty account that
  // cannot sign in, so that no real account is shown as having signed for a hundred places.
  const at0 = new Date(realNow).toISOString();
  const duty = (
    await db
      .insertInto('users')
      .values({ ...newUserRow('duty', '值班员（演示）', '!', at0), disabled: 1 })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  /** Whoever is on duty at a place, acting through the duty account. */
  const onDuty = (n: NodeRow): RequestContext => {
    const a: ActorAssignment = {
      id: 0,
      roleId: 0,
      roleCode: 'demo_duty',
      roleNameZh: '值班员',
      roleNameEn: 'Duty officer',
      nodeId: n.id,
      nodeName: n.name,
      nodeLevel: n.level,
      nodePath: n.path,
      nodeFullCode: '',
      permissions: new Set(['command.read', 'directives.respond', 'directives.issue']),
    };
    const actor: Actor = {
      userId: duty,
      username: 'duty',
      displayName: `${n.name}值班员`,
      totpEnabled: false,
      via: 'session',
      assignments: [a],
    };
    return { actor, requestId: 'demo-command' };
  };
  const targetsOf = (directiveId: number) =>
    db
      .selectFrom('directive_targets')
      .select(['id', 'node_id'])
      .where('directive_id', '=', directiveId)
      .orderBy('node_id')
      .execute();
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const at = (hoursFromStart: number, base: number) => new Date(base + hoursFromStart * HOUR).toISOString();

  const command = await commands.open(commander, {
    name: '新冠肺炎疫情防控指挥部',
    responseLevel: 'I',
    nodeId: district.id,
    officerUserIds: [users.get('commander')!, users.get('towncmd')!],
  });

  // 1. Two weeks ago: screen every returnee. Done everywhere; the demo street relayed it to its communities.
  let base = clock;
  const d1 = await directives.issue(commander, {
    commandId: command.id,
    issuerNodeId: district.id,
    title: '全面排查返乡人员',
    body: '各镇街立即组织网格员、村社干部对返乡人员逐户排查登记，落实健康管理措施，每日汇总上报。',
    priority: 'critical',
    targets: { kind: 'level', level: 'town', within: [district.id] },
    signDueAt: at(2, base),
    reportDueAt: at(48, base),
  });
  for (const t of await targetsOf(d1.id)) {
    clock = base + (0.3 + r()) * HOUR;
    const town = byId.get(t.node_id)!;
    if (town.id === demoTown.id) {
      const relay = await directives.relay({ actor: townCommander, requestId: 'demo-command' }, d1.id, {
        nodeId: town.id,
        instructions: '各社区今日内完成辖区返乡人员底数排查，名单报街道综治中心。',
        targets: { kind: 'level', level: 'village', within: [town.id] },
        signDueAt: at(4, base),
        reportDueAt: at(30, base),
      });
      for (const v of await targetsOf(relay.id)) {
        clock = base + (1.5 + r()) * HOUR;
        await directives.act(onDuty(byId.get(v.node_id)!), v.id, 'sign', {});
        clock = base + (10 + 15 * r()) * HOUR;
        await directives.act(onDuty(byId.get(v.node_id)!), v.id, 'report', {
          text: '已完成排查登记，名单已报送。',
          figures: { 排查户数: 80 + Math.floor(r() * 300), 返乡人员: 5 + Math.floor(r() * 40) },
        });
      }
      clock = base + 36 * HOUR;
      await directives.act({ actor: townCommander, requestId: 'demo-command' }, t.id, 'report', {
        text: '街道各社区均已完成排查，汇总表已上报。',
        figures: { 排查户数: 2400, 返乡人员: 210 },
      });
    } else {
      await directives.act(onDuty(town), t.id, 'sign', {});
      clock = base + (20 + 20 * r()) * HOUR;
      await directives.act(onDuty(town), t.id, 'report', {
        text: '已完成辖区排查并落实健康管理。',
        figures: { 排查户数: 1000 + Math.floor(r() * 4000), 返乡人员: 50 + Math.floor(r() * 300) },
      });
    }
  }

  // 2. Three days ago: staff the checkpoints around the clock, to the villages of the two western towns. Some lag.
  clock = base = realNow - 3 * DAY;
  const west = towns.slice(-2);
  const d2 = await directives.issue(commander, {
    commandId: command.id,
    issuerNodeId: district.id,
    title: '加强卡点24小时值守',
    body: '各村社卡点实行24小时轮班值守，对过往人员车辆逐一登记测温，值班表报镇街备案。',
    priority: 'urgent',
    targets: { kind: 'level', level: 'village', within: west.map((t) => t.id) },
    signDueAt: at(4, base),
    reportDueAt: at(30, base),
  });
  for (const t of await targetsOf(d2.id)) {
    const roll = r();
    if (roll < 0.2) continue; // never signed: overdue, escalated below
    clock = base + (0.5 + 5 * r()) * HOUR;
    await directives.act(onDuty(byId.get(t.node_id)!), t.id, 'sign', {});
    if (roll < 0.45) continue; // signed, never reported
    clock = base + (8 + 30 * r()) * HOUR;
    await directives.act(onDuty(byId.get(t.node_id)!), t.id, 'report', {
      text: '卡点已落实三班轮值，值班表已备案。',
      figures: { 值守人数: 6 + Math.floor(r() * 10) },
    });
  }

  // 3. This morning: every grid delivers the notice door to door. About half signed so far.
  clock = base = realNow - 3 * HOUR;
  const d3 = await directives.issue(commander, {
    commandId: command.id,
    issuerNodeId: district.id,
    title: '入户发放疫情防控告知书',
    body: '各网格今日内将《疫情防控告知书》逐户送达，并在系统中登记送达情况。',
    priority: 'urgent',
    targets: { kind: 'level', level: 'grid', within: [district.id] },
    signDueAt: at(5, base),
    reportDueAt: at(30, base),
  });
  const gridworker = await db
    .selectFrom('users as u')
    .innerJoin('role_assignments as a', 'a.user_id', 'u.id')
    .select('a.node_id')
    .where('u.username', '=', 'gridworker')
    .executeTakeFirst();
  for (const t of await targetsOf(d3.id)) {
    // The demo grid worker's own grid is left to them.
    if (t.node_id === gridworker?.node_id || r() < 0.5) continue;
    clock = base + (0.2 + 2.5 * r()) * HOUR;
    await directives.act(onDuty(byId.get(t.node_id)!), t.id, 'sign', {});
  }

  // 4. Just now: the daily report rule, to every town; waiting to be signed for and relayed.
  clock = base = realNow - 0.25 * HOUR;
  await directives.issue(commander, {
    commandId: command.id,
    issuerNodeId: district.id,
    title: '每日17时前报送疫情防控日报',
    body: '各镇街督促所属村社每日17时前在系统中填报疫情防控日报，镇街当日审核汇总。',
    priority: 'normal',
    targets: { kind: 'level', level: 'town', within: [district.id] },
    signDueAt: at(4, base),
    reportDueAt: at(28, base),
  });

  // The sweep at the present moment: the laggards of directive 2 are escalated to the towns.
  clock = realNow;
  await directives.sweep({ actor: null, requestId: 'demo-command-sweep' });
  return command.id;
}
