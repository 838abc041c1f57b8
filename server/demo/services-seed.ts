// The demo's joint services (服务联办). The district's volunteer organisations (寸草心, 临网公益, 临安滴水,
// 益点爱, 北斗救援, 狼行公益, 狮子会, a party branch and an owners' committee in 锦城街道), made through the
// services service; a few hundred volunteers, each a resident of the registry tagged volunteer (or a
// party member of 锦城街道 who registered at their community, 党员报到), with skills, certifications,
// availability and consent, most of those at 锦城街道 with an account; three months of call-outs and
// service requests gone by across the district with the hours, no-shows and counters they left —
// written in batches, as the service would have kept them. Then, through the service with a clock, the
// work waiting now in 锦城街道: needs open and escalated, tasks assigned to the demo volunteer (骆思远,
// a party member of the street's second community, the carer the observation seed names) and one he
// took, call-outs near him (a checkpoint's short shift, tomorrow's meal delivery), and the care roster
// synced from the registry's care tags two months ago with its visits since, some of the demo grid
// worker's overdue. seed.ts calls it after the people, the checkpoints and the observations.
import { sql, type Insertable, type RawBuilder } from 'kysely';
import {
  KIND_SKILL,
  RESPOND_HOURS,
  SERVICES_LIMITS,
  type Certification,
  type Language,
  type RequestKind,
  type Skill,
  type VolunteerOrgKind,
} from '../../common/contracts/services.js';
import { ancestorPaths } from '../../common/tree.js';
import { addDays, localDate } from '../../common/worktime.js';
import type { DB } from '../db/index.js';
import { nowIso } from '../db/index.js';
import type {
  CalloutSignupsTable,
  CalloutsTable,
  ServiceRequestsTable,
  VolunteersTable,
} from '../db/schema.js';
import { newUserRow } from '../modules/accounts/index.js';
import { SERVICES_METRICS, createServicesService, rebuildYearlyHours } from '../modules/services/index.js';
import { isWithin, type RequestContext } from '../platform/actor.js';
import { loadActor } from '../platform/auth.js';
import { hashPassword } from '../platform/crypto.js';
import { bumpCountersMany } from '../platform/live.js';
import type { PiiCipher } from '../platform/pii.js';
import { pick, prng, type Rng } from './names.js';
import { demoPhoto } from './photos.js';

export interface SeedServicesOptions {
  pii: PiiCipher;
  adminUserId: number;
  /** Posts the call-outs of the towns without a coordinator of their own. */
  commanderUserId: number;
  /** The demo coordinator (葛春华, 锦城街道): coordinates some organisations, posts, matches. */
  coordinatorUserId: number;
  /** The demo volunteer (骆思远), assigned at 锦城街道's second community. */
  volunteerUserId: number;
  /** The demo grid worker: raises needs for the grid's people and visits its care roster. */
  gridWorkerUserId: number;
  now?: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const BATCH = 500;

/** The demo volunteer's name, as his account gives it. */
const DEMO_VOLUNTEER = '骆思远';
const DEMO_VOLUNTEER_SKILLS: Skill[] = ['guard_duty', 'meal_delivery', 'companionship', 'shopping'];

interface OrgPlan {
  kind: VolunteerOrgKind;
  name: string;
  /** 'district', 'street', 'volunteer_community', 'other_community' (of the street), or a town by name. */
  at: string;
  description: string;
  coordinated: boolean;
  /** Founded this many days ago. */
  age: number;
}

const ORGS: readonly OrgPlan[] = [
  {
    kind: 'ngo',
    name: '寸草心志愿服务队',
    at: 'street',
    description: '关爱独居、空巢老人：上门陪伴、助餐送餐、代购代办。',
    coordinated: true,
    age: 2_100,
  },
  {
    kind: 'ngo',
    name: '临网公益志愿者协会',
    at: 'street',
    description: '本地网络社区发起的公益组织：助学、助老、文明劝导。',
    coordinated: true,
    age: 1_500,
  },
  {
    kind: 'ngo',
    name: '临安滴水公益',
    at: '锦南街道',
    description: '助残助困、爱心义剪、环保宣传。',
    coordinated: false,
    age: 1_800,
  },
  {
    kind: 'ngo',
    name: '益点爱公益服务中心',
    at: '锦北街道',
    description: '关爱留守儿童与困境儿童：课业辅导、心理陪伴。',
    coordinated: false,
    age: 1_200,
  },
  {
    kind: 'ngo',
    name: '临安北斗救援队',
    at: 'district',
    description: '山地搜救、防汛抢险、应急救护培训。',
    coordinated: false,
    age: 2_400,
  },
  {
    kind: 'ngo',
    name: '狼行公益救援队',
    at: '青山湖街道',
    description: '户外救援、交通劝导、大型活动安保。',
    coordinated: false,
    age: 1_600,
  },
  {
    kind: 'ngo',
    name: '临安狮子会服务队',
    at: 'district',
    description: '助视助听、扶贫济困、敬老助残。',
    coordinated: false,
    age: 2_800,
  },
  {
    kind: 'party_branch',
    name: '党支部',
    at: 'volunteer_community',
    description: '在职党员到社区报到：卡口值守、邻里互助、政策宣传。',
    coordinated: true,
    age: 3_000,
  },
  {
    kind: 'owners_committee',
    name: '业主委员会',
    at: 'other_community',
    description: '无物业小区的自治组织：门岗值守、楼道清理、邻里守望。',
    coordinated: true,
    age: 900,
  },
];

/** Call-outs of the months gone by: what a street or a village asks volunteers for. */
const PAST_CALLOUTS: readonly {
  title: string;
  skill: Skill | null;
  start: string;
  hours: number;
  capacity: number;
  /** Where they meet: after the village's (or the town's) name. */
  meet: string;
  atTown?: boolean;
}[] = [
  {
    title: '独居老人助餐送餐',
    skill: 'meal_delivery',
    start: '10:30',
    hours: 2,
    capacity: 6,
    meet: '居家养老服务照料中心',
  },
  {
    title: '垃圾分类桶边督导',
    skill: 'publicity',
    start: '07:00',
    hours: 2,
    capacity: 8,
    meet: '垃圾分类投放点',
  },
  { title: '防汛安全巡查', skill: 'guard_duty', start: '14:00', hours: 3, capacity: 6, meet: '村（居）委会' },
  {
    title: '敬老院陪伴聊天',
    skill: 'companionship',
    start: '14:00',
    hours: 2,
    capacity: 10,
    meet: '敬老院',
    atTown: true,
  },
  {
    title: '文明交通劝导',
    skill: null,
    start: '07:00',
    hours: 2,
    capacity: 10,
    meet: '主要路口',
    atTown: true,
  },
  { title: '义诊活动秩序维护', skill: null, start: '08:30', hours: 3, capacity: 6, meet: '文化礼堂' },
  { title: '夜间治安巡逻', skill: 'guard_duty', start: '19:00', hours: 3, capacity: 6, meet: '警务室' },
  { title: '爱心义剪进社区', skill: null, start: '09:00', hours: 3, capacity: 5, meet: '党群服务中心' },
];

const REQUEST_TEXT: Record<RequestKind, { details: string; done: string }> = {
  meals: { details: '行动不便，需要送午餐上门。', done: '午餐已送达，老人精神状态良好。' },
  medicine: { details: '常用降压药快吃完了，需要代购送药。', done: '已代购降压药并送到家中，提醒按时服用。' },
  shopping: { details: '需要代买米、油和新鲜蔬菜。', done: '已代购米、油和蔬菜并送到家中。' },
  accompaniment: { details: '需要陪同到区人民医院复诊。', done: '陪同复诊并取药，已安全送回家。' },
  home_repair: { details: '厨房水龙头漏水，老人无法自行维修。', done: '已更换水龙头，顺带检查了电路。' },
  companionship: {
    details: '老人独居，希望有人上门聊天、读报。',
    done: '陪老人聊天两小时，帮忙整理了房间。',
  },
};
const VISIT_NOTES = [
  '身体状况良好，精神不错。',
  '血压偏高，已提醒按时服药。',
  '家中卫生需要整理，已帮忙打扫。',
  '子女本周回来探望过。',
  '天气转凉，已提醒添衣保暖。',
];

interface Place {
  id: number;
  name: string;
  path: string;
  centroid_lat: number | null;
  centroid_lng: number | null;
}

const iso = (ms: number) => new Date(ms).toISOString();
/** A local (Asia/Shanghai) time of a day, as an instant. */
const localAt = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`).toISOString();
/** The ancestor of a path at a depth (1 the district, 2 the town, 3 the village), or the path itself above it. */
const upTo = (path: string, depth: number) => ancestorPaths(path)[depth - 1] ?? path;

function shuffled<T>(rng: Rng, xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Skills as people have them: party members and men on guard duty, the retired with the elderly. */
function skillsOf(rng: Rng, p: { age: number; male: boolean; party: boolean }): Skill[] {
  const odds: [Skill, number][] = [
    ['guard_duty', p.party ? 0.6 : p.male ? 0.35 : 0.12],
    ['meal_delivery', 0.35],
    ['medicine_delivery', 0.2],
    ['shopping', 0.3],
    ['companionship', p.age >= 50 ? 0.45 : 0.25],
    ['elderly_care', p.age >= 50 ? 0.3 : 0.12],
    ['child_care', p.male ? 0.05 : 0.2],
    ['home_repair', p.male ? 0.2 : 0.03],
    ['driving', p.age < 65 ? 0.18 : 0.04],
    ['first_aid', 0.1],
    ['counselling', 0.05],
    ['publicity', 0.25],
  ];
  const out = odds.filter(([, o]) => rng() < o).map(([s]) => s);
  return out.length > 0 ? out : [pick(rng, ['companionship', 'publicity', 'meal_delivery'] as const)];
}

function certificationsOf(rng: Rng, skills: readonly Skill[]): Certification[] {
  const out: Certification[] = [];
  if (skills.includes('first_aid') && rng() < 0.7) out.push('first_aid');
  if (skills.includes('driving') && rng() < 0.8) out.push('driving');
  if (skills.includes('counselling') && rng() < 0.6) out.push('counselling');
  if (skills.includes('elderly_care') && rng() < 0.2) out.push('nursing');
  if (skills.includes('home_repair') && rng() < 0.3) out.push('electrician');
  return out;
}

/** When they can come (0 Sunday … 6 Saturday): the retired on weekday mornings, others evenings and weekends. */
function availabilityOf(rng: Rng, age: number) {
  if (age >= 60)
    return [1, 2, 3, 4, 5].filter(() => rng() < 0.7).map((day) => ({ day, from: '08:30', to: '11:30' }));
  const out: { day: number; from: string; to: string }[] = [];
  if (rng() < 0.6) for (const day of [1, 3, 5]) out.push({ day, from: '18:30', to: '21:00' });
  if (rng() < 0.8) out.push({ day: 6, from: '09:00', to: '17:00' });
  if (rng() < 0.5) out.push({ day: 0, from: '09:00', to: '12:00' });
  return out;
}

export async function seedServices(db: DB, opts: SeedServicesOptions) {
  const T = Date.parse(opts.now ?? nowIso());
  const today = localDate(iso(T));
  const rng = prng(20_201_218);
  let clock = iso(T);
  /** Sets the service's clock this long before now. */
  const ago = (ms: number) => (clock = iso(T - ms));
  const svc = createServicesService({ db, pii: opts.pii, now: () => clock });
  const ctxOf = async (userId: number): Promise<RequestContext> => {
    const actor = await loadActor(db, userId, 'session');
    if (!actor) throw new Error(`demo services seed: user ${userId} cannot act`);
    return { actor, requestId: 'demo-services' };
  };
  const admin = await ctxOf(opts.adminUserId);
  const coord = await ctxOf(opts.coordinatorUserId);
  const worker = await ctxOf(opts.gridWorkerUserId);
  const volunteerCtx = await ctxOf(opts.volunteerUserId);

  // ---- places: the street from the coordinator's assignment, the two communities from the accounts'
  const nodes = await db
    .selectFrom('nodes')
    .select(['id', 'name', 'level', 'path', 'parent_id', 'centroid_lat', 'centroid_lng'])
    .where('retired_at', 'is', null)
    .orderBy('id')
    .execute();
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const assignedAt = async (userId: number) => {
    const a = await db
      .selectFrom('role_assignments')
      .select('node_id')
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return byId.get(a.node_id)!;
  };
  const street = await assignedAt(opts.coordinatorUserId);
  const demoGrid = await assignedAt(opts.gridWorkerUserId);
  const community = await assignedAt(opts.volunteerUserId);
  const district = nodes.find((n) => n.level === 'district')!;
  const towns = nodes.filter((n) => n.level === 'town');
  const childrenOf = (id: number) => nodes.filter((n) => n.parent_id === id);
  const otherCommunity =
    childrenOf(street.id).find((v) => v.id !== community.id && v.id !== demoGrid.parent_id) ?? community;

  // ---- organisations, through the service (audited), as the district's administrator
  const compound =
    (
      await db
        .selectFrom('households')
        .select('address')
        .where('node_path', 'like', `${otherCommunity.path}%`)
        .where('address', 'like', '%幢%')
        .orderBy('id')
        .executeTakeFirst()
    )?.address?.match(/社区(.+?)\d+幢/)?.[1] ?? '湖泉花园';
  const orgIds = new Map<string, { id: number; path: string }>();
  for (const o of ORGS) {
    const node =
      o.at === 'district'
        ? district
        : o.at === 'street'
          ? street
          : o.at === 'volunteer_community'
            ? community
            : o.at === 'other_community'
              ? otherCommunity
              : (towns.find((t) => t.name === o.at) ?? district);
    const name =
      o.kind === 'party_branch'
        ? `${community.name}${o.name}`
        : o.kind === 'owners_committee'
          ? `${compound}${o.name}`
          : o.name;
    ago(o.age * DAY);
    const made = await svc.createOrg(admin, {
      kind: o.kind,
      name,
      nodeId: node.id,
      description: o.description,
      coordinatorUserIds: o.coordinated ? [opts.coordinatorUserId] : [],
    });
    orgIds.set(o.kind === 'ngo' ? o.name : o.kind, { id: made.id, path: node.path });
  }
  const org = (key: string) => orgIds.get(key)!;

  // ---- the demo volunteer's person record: a resident of his community, living in his home grid
  const demoPerson = await demoVolunteerPerson(db, opts.pii, community.path, street.path);
  const homeGrid = byId.get(demoPerson.nodeId)!;

  // ---- the people the street's tasks are for: the care-tagged first, then the oldest
  const peopleOf = async (path: string, exclude: readonly number[]) =>
    (
      await db
        .selectFrom('persons as p')
        .select([
          'p.id',
          'p.node_path',
          (eb) =>
            eb
              .selectFrom('person_tags as t')
              .select((e) => e.fn.countAll<number>().as('n'))
              .whereRef('t.person_id', '=', 'p.id')
              .where('t.tag_code', 'in', ['elderly_alone', 'widowed', 'disabled', 'key_care'])
              .as('care'),
        ])
        .where('p.node_path', 'like', `${path}%`)
        .where('p.merged_into_id', 'is', null)
        .where('p.id', 'not in', exclude.length ? [...exclude] : [0])
        .orderBy('p.birth_date')
        .orderBy('p.id')
        .limit(40)
        .execute()
    )
      .sort((a, b) => Number(b.care) - Number(a.care))
      .map((p) => p.id);
  const inGrid = await peopleOf(demoGrid.path, [demoPerson.id]);
  const inCommunity = await peopleOf(community.path, [demoPerson.id]);
  const gridPerson = (i: number) => inGrid[i % inGrid.length]!;
  const communityPerson = (i: number) => inCommunity[i % inCommunity.length]!;

  // ---- needs raised just now, before anyone could be matched: open, waiting for the coordinator.
  // (Raised later, a volunteer of the street would have been matched at once.) And one raised this
  // morning that nobody took: the escalation below takes it a level up.
  ago(40 * MINUTE);
  await svc.createRequest(worker, {
    personId: gridPerson(0),
    kind: 'home_repair',
    details: REQUEST_TEXT.home_repair.details,
  });
  ago(15 * MINUTE);
  await svc.createRequest(coord, {
    personId: communityPerson(0),
    kind: 'accompaniment',
    details: '下周二上午需要陪同到区人民医院复查。',
  });
  ago(6 * HOUR);
  const untaken = await svc.createRequest(worker, {
    personId: gridPerson(1),
    kind: 'medicine',
    details: REQUEST_TEXT.medicine.details,
  });

  // ---- the district's volunteers: residents tagged volunteer, and party members of the street
  const tagged = await db
    .selectFrom('persons as p')
    .innerJoin('person_tags as t', 't.person_id', 'p.id')
    .select([
      'p.id',
      'p.name',
      'p.node_id',
      'p.node_path',
      'p.birth_date',
      'p.gender',
      'p.residence_type',
      't.tag_code',
    ])
    .where('t.tag_code', 'in', ['volunteer', 'party_member'])
    .where('p.merged_into_id', 'is', null)
    .orderBy('p.id')
    .execute();
  const people = new Map<number, (typeof tagged)[number] & { tags: Set<string> }>();
  for (const t of tagged) {
    const p = people.get(t.id);
    if (p) p.tags.add(t.tag_code);
    else people.set(t.id, { ...t, tags: new Set([t.tag_code]) });
  }
  const ageOf = (birth: string | null) =>
    birth
      ? Number(today.slice(0, 4)) - Number(birth.slice(0, 4)) - (today.slice(5) < birth.slice(5) ? 1 : 0)
      : 40;
  const chosen = [...people.values()].filter(
    (p) =>
      p.id !== demoPerson.id &&
      ageOf(p.birth_date) >= 18 &&
      (p.tags.has('volunteer') ||
        (isWithin(p.node_path, street.path) && ageOf(p.birth_date) <= 70 && rng() < 0.5)),
  );
  const hash = await hashPassword(`demo-volunteer-${Math.floor(rng() * 1e12)}-unusable`);
  interface Planned {
    person: (typeof chosen)[number];
    row: Insertable<VolunteersTable>;
    account: boolean;
    joinedMs: number;
  }
  const orgFor = (path: string, party: boolean, skills: readonly Skill[]): number | null => {
    const town = upTo(path, 2);
    const village = upTo(path, 3);
    const r = rng();
    if (village === community.path && party && r < 0.6) return org('party_branch').id;
    if (village === otherCommunity.path && r < 0.35) return org('owners_committee').id;
    if (town === street.path)
      return r < 0.45 ? org('寸草心志愿服务队').id : r < 0.8 ? org('临网公益志愿者协会').id : null;
    const local = ORGS.find(
      (o) =>
        o.kind === 'ngo' && o.at !== 'district' && o.at !== 'street' && orgIds.get(o.name)?.path === town,
    );
    if (local && r < 0.5) return org(local.name).id;
    if ((skills.includes('first_aid') || skills.includes('driving')) && r < 0.75)
      return org('临安北斗救援队').id;
    if (r < 0.15) return org('临安狮子会服务队').id;
    return null;
  };
  const planned: Planned[] = chosen.map((p) => {
    const age = ageOf(p.birth_date);
    const party = p.tags.has('party_member');
    const inStreet = isWithin(p.node_path, street.path);
    const account = rng() < (inStreet ? 0.7 : 0.4);
    const joinedMs = T - (account ? 95 + Math.floor(rng() * 600) : 5 + Math.floor(rng() * 700)) * DAY;
    const skills = skillsOf(rng, { age, male: p.gender === 'male', party });
    const languages: Language[] = ['mandarin'];
    if (p.residence_type !== 'floating' && rng() < 0.85) languages.push('lin_an_dialect');
    if (age < 40 && rng() < 0.15) languages.push('english');
    if (rng() < 0.01) languages.push('sign_language');
    const via = account ? 'invitation' : rng() < 0.5 ? 'coordinator' : 'import';
    const s = rng();
    const joined = iso(joinedMs);
    return {
      person: p,
      account,
      joinedMs,
      row: {
        person_id: p.id,
        user_id: null,
        org_id: orgFor(p.node_path, party, skills),
        name: p.name,
        home_node_id: p.node_id,
        home_path: p.node_path,
        party_member: party ? 1 : 0,
        skills: JSON.stringify(skills),
        certifications: JSON.stringify(certificationsOf(rng, skills)),
        languages: JSON.stringify(languages),
        availability: JSON.stringify(availabilityOf(rng, age)),
        status: account
          ? s < 0.03
            ? 'paused'
            : 'active'
          : s < 0.06
            ? 'paused'
            : s < 0.1
              ? 'left'
              : 'active',
        consent_at: joined,
        consent_recorded_by:
          via === 'invitation' ? null : inStreet ? opts.coordinatorUserId : opts.adminUserId,
        joined_via: via,
        created_at: joined,
        updated_at: joined,
      },
    };
  });
  const volunteerRole = await db
    .selectFrom('roles')
    .select('id')
    .where('code', '=', 'volunteer')
    .executeTakeFirstOrThrow();
  await db.transaction().execute(async (trx) => {
    // Accounts for those who joined through an invitation link: a password nobody knows, the
    // volunteer role at their home grid.
    const withAccount = planned.filter((v) => v.account);
    for (let i = 0; i < withAccount.length; i += BATCH) {
      const chunk = withAccount.slice(i, i + BATCH);
      const users = await trx
        .insertInto('users')
        .values(chunk.map((v) => newUserRow(`vol-${v.person.id}`, v.person.name, hash, iso(v.joinedMs))))
        .returning(['id', 'username'])
        .execute();
      const ids = new Map(users.map((u) => [u.username, u.id]));
      for (const v of chunk) v.row.user_id = ids.get(`vol-${v.person.id}`)!;
      await trx
        .insertInto('role_assignments')
        .values(
          chunk.map((v) => ({
            user_id: v.row.user_id!,
            role_id: volunteerRole.id,
            node_id: v.person.node_id,
            created_at: iso(v.joinedMs),
          })),
        )
        .execute();
    }
    for (let i = 0; i < planned.length; i += BATCH)
      await trx
        .insertInto('volunteers')
        .values(planned.slice(i, i + BATCH).map((v) => v.row))
        .execute();
  });

  // ---- the demo volunteer, registered by the coordinator through the service (consent recorded),
  // then linked to his account
  ago(300 * DAY);
  const demo = await svc.createVolunteer(coord, {
    nodeId: homeGrid.id,
    orgId: org('寸草心志愿服务队').id,
    name: DEMO_VOLUNTEER,
    idNumber: demoPerson.idNumber,
    phone: demoPerson.phone,
    consent: true,
    partyMember: true,
    skills: DEMO_VOLUNTEER_SKILLS,
    certifications: ['first_aid'],
    languages: ['mandarin', 'lin_an_dialect'],
    availability: [
      { day: 1, from: '18:30', to: '21:00' },
      { day: 3, from: '18:30', to: '21:00' },
      { day: 6, from: '08:00', to: '18:00' },
    ],
  });
  await db
    .updateTable('volunteers')
    .set({ user_id: opts.volunteerUserId })
    .where('id', '=', demo.id)
    .execute();

  // ---- three months gone by: call-outs and requests done across the district, with their hours
  const vols = (
    await db
      .selectFrom('volunteers')
      .select(['id', 'user_id', 'org_id', 'home_path', 'skills', 'status', 'created_at'])
      .orderBy('id')
      .execute()
  ).map((v) => ({ ...v, skillList: JSON.parse(v.skills) as string[] }));
  type Vol = (typeof vols)[number];
  const accounts = vols.filter((v) => v.user_id !== null && v.status === 'active');
  const accountsIn = (path: string) => accounts.filter((v) => isWithin(v.home_path, path));
  const history = await seedHistory(db, {
    rng,
    T,
    towns,
    childrenOf,
    accountsIn,
    street,
    posters: { street: opts.coordinatorUserId, elsewhere: opts.commanderUserId },
    orgAt: (townPath) =>
      [...orgIds.entries()].find(([k, o]) => o.path === townPath && ORGS.some((p) => p.name === k))?.[1].id ??
      null,
  });

  // ---- in 锦城街道, through the service: the weeks before today
  const streetAccounts = accountsIn(street.path).filter((v) => v.id !== demo.id);
  const withSkill = (skill: Skill, n: number) =>
    streetAccounts.filter((v) => v.skillList.includes(skill)).slice(0, n);
  const ctxOfVol = (v: Vol) => ctxOf(v.user_id!);
  const centre = (n: { centroid_lat: number | null; centroid_lng: number | null }) => ({
    lat: n.centroid_lat,
    lng: n.centroid_lng,
  });

  /** A call-out posted, signed up for, stood (all but `noShow`) and closed, each step at its hour. */
  const pastCallout = async (
    daysAgo: number,
    b: {
      node: (typeof nodes)[number];
      title: string;
      meet: string;
      start: string;
      hours: number;
      capacity: number;
      skills: Skill[];
      orgId: number | null;
      details: string;
    },
    who: { ctx: RequestContext; noShow?: boolean }[],
  ) => {
    const day = addDays(today, -daysAgo);
    const startsAt = localAt(day, b.start);
    const start = Date.parse(startsAt);
    clock = iso(start - 2 * DAY);
    const c = await svc.createCallout(coord, {
      nodeId: b.node.id,
      title: b.title,
      details: b.details,
      meetingPoint: b.meet,
      lat: null,
      lng: null,
      startsAt,
      endsAt: iso(start + b.hours * HOUR),
      capacity: b.capacity,
      skills: b.skills,
      orgId: b.orgId,
    });
    for (const [i, w] of who.entries()) {
      clock = iso(start - 2 * DAY + (i + 1) * 37 * MINUTE);
      await svc.signUp(w.ctx, c.id);
    }
    for (const [i, w] of who.entries()) {
      if (w.noShow) continue;
      clock = iso(start - (10 - i * 3) * MINUTE);
      await svc.checkIn(w.ctx, c.id, centre(b.node));
    }
    for (const [i, w] of who.entries()) {
      if (w.noShow) continue;
      clock = iso(start + b.hours * HOUR + (5 + i * 4) * MINUTE);
      await svc.checkOut(w.ctx, c.id, centre(b.node));
    }
    clock = iso(start + (b.hours + 1) * HOUR);
    await svc.closeCallout(coord, c.id);
    return c.id;
  };
  const meals = withSkill('meal_delivery', 3);
  await pastCallout(
    9,
    {
      node: community,
      title: `${community.name}独居老人助餐送餐`,
      meet: `${community.name}居家养老服务照料中心`,
      start: '10:30',
      hours: 2,
      capacity: 5,
      skills: ['meal_delivery'],
      orgId: org('寸草心志愿服务队').id,
      details: '为社区独居老人配送午餐，每人负责一栋楼。',
    },
    [
      { ctx: volunteerCtx },
      ...(await Promise.all(
        meals.map(async (v, i) => ({ ctx: await ctxOfVol(v), noShow: i === meals.length - 1 && i > 0 })),
      )),
    ],
  );
  const sorting = streetAccounts.filter((v) => !meals.includes(v)).slice(0, 3);
  await pastCallout(
    3,
    {
      node: otherCommunity,
      title: `${otherCommunity.name}垃圾分类桶边督导`,
      meet: `${otherCommunity.name}${compound}垃圾分类投放点`,
      start: '07:00',
      hours: 2,
      capacity: 6,
      skills: [],
      orgId: org('owners_committee').id,
      details: '早高峰投放时段桶边指导分类，劝导混投。',
    },
    [{ ctx: volunteerCtx }, ...(await Promise.all(sorting.map(async (v) => ({ ctx: await ctxOfVol(v) }))))],
  );

  /** A need raised (matched at once to the nearest volunteer), and given to one by the coordinator. */
  const raise = async (by: RequestContext, personId: number, kind: RequestKind, details?: string) =>
    svc.createRequest(by, { personId, kind, details: details ?? REQUEST_TEXT[kind].details });
  const give = async (id: number, volunteerId: number) => {
    const r = await svc.request(coord, id);
    if (r.volunteer?.id !== volunteerId) await svc.assignRequest(coord, id, volunteerId);
  };
  const photo = { data: demoPhoto(7_301, true), mime: 'image/png' };

  // Done by the demo volunteer six days ago, with a photo, rated by the grid worker.
  ago(6 * DAY + 4 * HOUR);
  const delivered = await raise(worker, gridPerson(2), 'meals');
  ago(6 * DAY + 3 * HOUR + 50 * MINUTE);
  await give(delivered.id, demo.id);
  ago(6 * DAY + 3 * HOUR + 30 * MINUTE);
  await svc.acceptRequest(volunteerCtx, delivered.id);
  ago(6 * DAY + 2 * HOUR);
  await svc.completeRequest(
    volunteerCtx,
    delivered.id,
    { note: REQUEST_TEXT.meals.done, minutes: 50 },
    photo,
  );
  ago(6 * DAY);
  await svc.rateRequest(worker, delivered.id, 5);
  // Cancelled two days ago: the family came home.
  ago(2 * DAY + 5 * HOUR);
  const called = await raise(worker, gridPerson(3), 'shopping');
  ago(2 * DAY + 4 * HOUR);
  await svc.cancelRequest(worker, called.id, '家属已回家照顾，无需代购。');
  // Done this month by another volunteer of the street (a home repair), rated by the coordinator.
  const monthStart = Date.parse(localAt(`${today.slice(0, 7)}-01`, '00:00'));
  const doneAt = T - Math.min(2 * HOUR, Math.floor((T - monthStart) / 2));
  const fixer = withSkill('home_repair', 1)[0] ?? streetAccounts[0];
  if (fixer) {
    clock = iso(doneAt - 3 * HOUR);
    const repair = await raise(coord, communityPerson(1), 'home_repair');
    clock = iso(doneAt - 2 * HOUR - 50 * MINUTE);
    await give(repair.id, fixer.id);
    clock = iso(doneAt - 2 * HOUR);
    await svc.acceptRequest(await ctxOfVol(fixer), repair.id);
    clock = iso(doneAt);
    await svc.completeRequest(
      await ctxOfVol(fixer),
      repair.id,
      { note: REQUEST_TEXT.home_repair.done, minutes: 90 },
      null,
    );
    await svc.rateRequest(coord, repair.id, 4);
  }
  // Taken by the demo volunteer this morning: a lunch to bring.
  ago(5 * HOUR);
  const lunch = await raise(worker, gridPerson(4), 'meals');
  ago(4 * HOUR + 50 * MINUTE);
  await give(lunch.id, demo.id);
  ago(4 * HOUR + 40 * MINUTE);
  await svc.acceptRequest(volunteerCtx, lunch.id);
  // The morning's medicine nobody took escalates, is matched further, and is taken.
  ago(3 * HOUR + 50 * MINUTE);
  await svc.escalate({ actor: null, requestId: 'demo-services-escalate' });
  const escalated = await svc.request(coord, untaken.id);
  const taker = escalated.volunteer ? vols.find((v) => v.id === escalated.volunteer!.id) : undefined;
  if (escalated.status === 'assigned' && taker?.user_id) {
    ago(3 * HOUR + 30 * MINUTE);
    await svc.acceptRequest(await ctxOfVol(taker), untaken.id);
  }
  // Waiting for the demo volunteer to take them.
  ago(2 * HOUR);
  const visit = await raise(coord, communityPerson(2), 'companionship');
  await give(visit.id, demo.id);
  ago(50 * MINUTE);
  const groceries = await raise(worker, gridPerson(5), 'shopping');
  ago(45 * MINUTE);
  await give(groceries.id, demo.id);

  // ---- call-outs open now in the street: a checkpoint's short shift, tomorrow's meals, a visit
  const shift = await shortShift(db, street.path, community.path, T);
  if (shift) {
    ago(3 * HOUR);
    const c = await svc.calloutFromShift(coord, {
      shiftId: shift.id,
      capacity: shift.missing > 0 ? undefined : 1,
      details: '无物业小区门岗缺人，请党员、志愿者报到值守。',
    });
    // Someone takes a place when there are two or more: one is left for the demo volunteer.
    const guard = withSkill('guard_duty', 1)[0];
    if (c.capacity >= 2 && guard) {
      ago(2 * HOUR);
      await svc.signUp(await ctxOfVol(guard), c.id);
    }
  }
  const tomorrow = addDays(today, 1);
  ago(2 * HOUR + 30 * MINUTE);
  const lunchRound = await svc.createCallout(coord, {
    nodeId: community.id,
    title: `${community.name}独居老人午餐配送`,
    details: '明天中午为社区独居、高龄老人配送午餐，每人负责一栋楼。',
    meetingPoint: `${community.name}居家养老服务照料中心`,
    lat: null,
    lng: null,
    startsAt: localAt(tomorrow, '10:30'),
    endsAt: localAt(tomorrow, '12:30'),
    capacity: 6,
    skills: ['meal_delivery'],
    orgId: org('寸草心志愿服务队').id,
  });
  for (const [i, v] of withSkill('meal_delivery', 2).entries()) {
    ago((90 - i * 20) * MINUTE);
    await svc.signUp(await ctxOfVol(v), lunchRound.id);
  }
  const inTwoDays = addDays(today, 2);
  ago(100 * MINUTE);
  const company = await svc.createCallout(coord, {
    nodeId: otherCommunity.id,
    title: '敬老院陪伴聊天',
    details: '陪伴敬老院老人聊天、读报，协助开展手工活动。',
    meetingPoint: `${street.name}敬老院`,
    lat: null,
    lng: null,
    startsAt: localAt(inTwoDays, '14:00'),
    endsAt: localAt(inTwoDays, '16:00'),
    capacity: 8,
    skills: ['companionship'],
    orgId: org('临网公益志愿者协会').id,
  });
  ago(30 * MINUTE);
  await svc.signUp(volunteerCtx, company.id);
  const friend = withSkill('companionship', 1)[0];
  if (friend) {
    ago(20 * MINUTE);
    await svc.signUp(await ctxOfVol(friend), company.id);
  }

  // ---- the care roster: synced from the registry's care tags two months ago, visited since
  const started = 60;
  ago(started * DAY);
  const synced = await svc.syncRoster();
  const roster = await db
    .selectFrom('care_roster')
    .select(['id', 'node_path', 'every_days', 'started_on'])
    .orderBy('id')
    .execute();
  const demoGridRows = roster.filter((r) => isWithin(r.node_path, demoGrid.path));
  const demoVolunteerRows = roster.filter((r) => isWithin(r.node_path, community.path)).slice(0, 3);
  const special = new Set([...demoGridRows, ...demoVolunteerRows].map((r) => r.id));
  await seedVisits(db, {
    rng,
    today,
    rows: roster.filter((r) => !special.has(r.id)),
    accountsIn,
  });
  // The demo grid: one never visited, one seen last week, one not since three weeks ago; the demo
  // volunteer visits the rest.
  // A while before now, but still today in Shanghai: just after midnight, "90 minutes ago" is yesterday
  // and a visit recorded then for today would be in the future.
  const earlierToday = (ms: number) => iso(Math.max(T - ms, Date.parse(localAt(today, '00:00'))));
  const visitAt = async (by: RequestContext, rosterId: number, daysAgo: number, note: string | null) => {
    const day = addDays(today, -daysAgo);
    clock = daysAgo === 0 ? earlierToday(30 * MINUTE) : localAt(day, '15:00');
    return svc.recordVisit(by, rosterId, { visitedOn: day, note, lat: null, lng: null, need: null });
  };
  for (const [i, r] of demoGridRows.entries()) {
    if (i === 0) continue;
    if (i === 1) {
      await visitAt(worker, r.id, 12, VISIT_NOTES[0]!);
      await visitAt(worker, r.id, 5, VISIT_NOTES[3]!);
    } else if (i === 2) await visitAt(worker, r.id, 25, VISIT_NOTES[1]!);
    else {
      ago(20 * DAY);
      await svc.assignVisitor(coord, r.id, { volunteerId: demo.id });
      await visitAt(volunteerCtx, r.id, 3, VISIT_NOTES[4]!);
    }
  }
  // The demo volunteer's own: one visited on time, one overdue, one seen today who needs shopping done
  // (the visit raises the request, matched like any other).
  for (const [i, r] of demoVolunteerRows.entries()) {
    ago(40 * DAY);
    await svc.assignVisitor(coord, r.id, { volunteerId: demo.id });
    if (i === 0) for (const d of [16, 9, 2]) await visitAt(volunteerCtx, r.id, d, null);
    else if (i === 1) await visitAt(volunteerCtx, r.id, 15, VISIT_NOTES[2]!);
    else {
      clock = earlierToday(90 * MINUTE);
      await svc.recordVisit(volunteerCtx, r.id, {
        visitedOn: today,
        note: '米快吃完了，腿脚不便下楼。',
        lat: null,
        lng: null,
        need: 'shopping',
      });
    }
  }
  clock = iso(T);
  // The history's months were written in bulk: their yearly sums, for the year's rankings.
  await rebuildYearlyHours(db);
  return {
    orgs: ORGS.length,
    volunteers: planned.length + 1,
    accounts: planned.filter((v) => v.account).length,
    callouts: history.callouts,
    requests: history.requests,
    roster: synced.added,
  };
}

/**
 * The registry's record of the demo volunteer: a resident of his community named 骆思远. The people
 * seed names its residents at random, so when none is, one of the community's residents it made — a
 * man born in the 1980s or early 1990s with an ID number and a phone, a party member if there is one —
 * is the one his account names: his record keeps its household, number and address, and carries the
 * party member's and the volunteer's tags. (Registering him anew as a found person would leave a
 * resident without a household in a registry where everyone has one.)
 */
async function demoVolunteerPerson(db: DB, pii: PiiCipher, communityPath: string, streetPath: string) {
  const candidates = (under: string) =>
    db
      .selectFrom('persons as p')
      .select([
        'p.id',
        'p.name',
        'p.node_id',
        'p.node_path',
        'p.id_number_enc',
        'p.phone_enc',
        (eb) =>
          eb
            .selectFrom('person_tags as t')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('t.person_id', '=', 'p.id')
            .where('t.tag_code', '=', 'party_member')
            .as('party'),
      ])
      .where('p.node_path', 'like', `${under}%`)
      .where('p.merged_into_id', 'is', null)
      .where('p.id_number_enc', 'is not', null)
      .where('p.phone_enc', 'is not', null)
      .where('p.gender', '=', 'male')
      .where('p.residence_type', '=', 'registered')
      .where('p.birth_date', '>=', '1980-01-01')
      .where('p.birth_date', '<', '1994-01-01')
      .orderBy('p.id')
      .execute();
  let found = (await candidates(communityPath)).sort((a, b) => Number(b.party) - Number(a.party));
  if (found.length === 0)
    found = (await candidates(streetPath)).sort((a, b) => Number(b.party) - Number(a.party));
  const named = found.find((p) => p.name === DEMO_VOLUNTEER) ?? found[0];
  if (!named) throw new Error('demo services seed: no resident of the street to be the demo volunteer');
  await db.transaction().execute(async (trx) => {
    if (named.name !== DEMO_VOLUNTEER)
      await trx.updateTable('persons').set({ name: DEMO_VOLUNTEER }).where('id', '=', named.id).execute();
    const tags = await trx
      .selectFrom('person_tags')
      .select('tag_code')
      .where('person_id', '=', named.id)
      .execute();
    const missing = ['party_member', 'volunteer'].filter((t) => !tags.some((x) => x.tag_code === t));
    if (missing.length > 0)
      await trx
        .insertInto('person_tags')
        .values(missing.map((tag_code) => ({ person_id: named.id, tag_code })))
        .execute();
  });
  return {
    id: named.id,
    nodeId: named.node_id,
    idNumber: pii.decrypt(named.id_number_enc!),
    phone: pii.decrypt(named.phone_enc!),
  };
}

/**
 * The next shift of the street's checkpoints short of people (the volunteer's community's gate
 * first), or failing that the next one at all; null when the street has no checkpoint.
 */
async function shortShift(db: DB, streetPath: string, communityPath: string, T: number) {
  const shifts = await db
    .selectFrom('shifts as s')
    .innerJoin('checkpoints as c', 'c.id', 's.checkpoint_id')
    .select([
      's.id',
      's.starts_at',
      's.required',
      'c.node_path',
      (eb) =>
        eb
          .selectFrom('shift_assignments as a')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('a.shift_id', '=', 's.id')
          .as('assigned'),
    ])
    .where('c.node_path', 'like', `${streetPath}%`)
    .where('s.starts_at', '>', iso(T + HOUR))
    .orderBy('s.starts_at')
    .orderBy('s.id')
    .execute();
  const short = shifts.filter((s) => Number(s.assigned) < s.required);
  const s =
    short.find((x) => isWithin(x.node_path, communityPath)) ??
    short[0] ??
    shifts.find((x) => isWithin(x.node_path, communityPath)) ??
    shifts[0];
  return s ? { id: s.id, missing: s.required - Number(s.assigned) } : null;
}

/**
 * Three months of call-outs (about one a town every ten days) and of needs met across the district,
 * written in batches as the service would have left them: sign-ups checked in and out with their
 * minutes, a few no-shows and withdrawals, requests done and rated; then the hours per volunteer and
 * month, the totals on volunteers and organisations, and the month's minutes counters.
 */
async function seedHistory(
  db: DB,
  o: {
    rng: Rng;
    T: number;
    towns: readonly Place[];
    childrenOf: (id: number) => readonly Place[];
    accountsIn: (path: string) => readonly {
      id: number;
      user_id: number | null;
      org_id: number | null;
      home_path: string;
      skillList: string[];
      created_at: string;
    }[];
    street: { path: string };
    posters: { street: number; elsewhere: number };
    orgAt: (townPath: string) => number | null;
  },
) {
  const { rng, T } = o;
  const credited = new Map<
    string,
    { volunteer_id: number; month: string; org_id: number; home_path: string; minutes: number }
  >();
  const noShows = new Map<number, number>();
  const credit = (
    v: { id: number; org_id: number | null; home_path: string },
    at: string,
    minutes: number,
  ) => {
    const month = localDate(at).slice(0, 7);
    const k = `${v.id} ${month}`;
    const row = credited.get(k);
    if (row) row.minutes += minutes;
    else
      credited.set(k, { volunteer_id: v.id, month, org_id: v.org_id ?? 0, home_path: v.home_path, minutes });
  };
  // The people needs are met for: the care-tagged, by town.
  const cared = await db
    .selectFrom('persons as p')
    .select(['p.id', 'p.node_id', 'p.node_path'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('person_tags as t')
          .select('t.person_id')
          .whereRef('t.person_id', '=', 'p.id')
          .where('t.tag_code', 'in', ['elderly_alone', 'widowed', 'disabled', 'key_care']),
      ),
    )
    .where('p.merged_into_id', 'is', null)
    .orderBy('p.id')
    .execute();

  const callouts: (Insertable<CalloutsTable> & { node_path: string; starts_at: string })[] = [];
  /** Sign-ups by call-out, keyed as the call-out is found again once inserted: its place and start. */
  const signupsOf = new Map<string, Omit<Insertable<CalloutSignupsTable>, 'callout_id'>[]>();
  const done: Insertable<ServiceRequestsTable>[] = [];
  for (const town of o.towns) {
    const villages = o.childrenOf(town.id);
    const people = cared.filter((p) => isWithin(p.node_path, town.path));
    const crew = o.accountsIn(town.path);
    const inStreet = town.path === o.street.path;
    // About one call-out every eleven days: never two of a town on one day, so place and start are unique.
    for (let k = 0; k < 8 && crew.length > 0; k++) {
      const daysAgo = 6 + k * 11 + Math.floor(rng() * 5);
      const plan = pick(rng, PAST_CALLOUTS);
      const place = plan.atTown || villages.length === 0 ? town : pick(rng, villages);
      const day = addDays(localDate(iso(T)), -daysAgo);
      const start = Date.parse(localAt(day, plan.start));
      const end = start + plan.hours * HOUR;
      const posted = start - (2 + Math.floor(rng() * 3)) * DAY;
      const able = shuffled(
        rng,
        crew.filter(
          (v) => Date.parse(v.created_at) < posted && (!plan.skill || v.skillList.includes(plan.skill)),
        ),
      );
      const n = Math.min(able.length, 2 + Math.floor(rng() * (plan.capacity - 1)));
      if (n === 0) continue;
      const rows: Omit<Insertable<CalloutSignupsTable>, 'callout_id'>[] = [];
      for (const [i, v] of able.slice(0, n).entries()) {
        const r = rng();
        const status = r < 0.06 ? ('no_show' as const) : r < 0.1 ? ('withdrawn' as const) : ('done' as const);
        const signedAt = iso(posted + (i + 1) * 47 * MINUTE);
        // Every row with every column: a multi-row insert on SQLite has no DEFAULT to fall back on.
        const none = {
          checked_in_at: null,
          in_lat: null,
          in_lng: null,
          checked_out_at: null,
          out_lat: null,
          out_lng: null,
          minutes: 0,
        };
        if (status !== 'done') {
          rows.push({ volunteer_id: v.id, status, signed_at: signedAt, ...none });
          if (status === 'no_show') noShows.set(v.id, (noShows.get(v.id) ?? 0) + 1);
          continue;
        }
        const inAt = start + Math.round((rng() * 25 - 15) * MINUTE);
        const outAt = end + Math.round((rng() * 30 - 10) * MINUTE);
        const cap = plan.hours * 60 + SERVICES_LIMITS.graceMinutes;
        const minutes = Math.max(0, Math.min(cap, Math.round((outAt - inAt) / MINUTE)));
        rows.push({
          volunteer_id: v.id,
          status,
          signed_at: signedAt,
          checked_in_at: iso(inAt),
          in_lat: place.centroid_lat,
          in_lng: place.centroid_lng,
          checked_out_at: iso(outAt),
          out_lat: place.centroid_lat,
          out_lng: place.centroid_lng,
          minutes,
        });
        credit(v, iso(outAt), minutes);
      }
      callouts.push({
        title: `${place.name}${plan.title}`,
        details: null,
        node_id: place.id,
        node_path: place.path,
        meeting_point: `${place.name}${plan.meet}`,
        lat: place.centroid_lat,
        lng: place.centroid_lng,
        starts_at: iso(start),
        ends_at: iso(end),
        capacity: plan.capacity,
        filled: rows.filter((x) => x.status !== 'withdrawn').length,
        skills: JSON.stringify(plan.skill ? [plan.skill] : []),
        shift_id: null,
        org_id: inStreet ? null : o.orgAt(town.path),
        status: 'closed',
        posted_by: inStreet ? o.posters.street : o.posters.elsewhere,
        created_at: iso(posted),
        updated_at: iso(end + HOUR),
      });
      signupsOf.set(`${place.path} ${iso(start)}`, rows);
    }
    // Needs met: a few a town, the nearest volunteer with the skill taking them.
    for (let k = 0; k < (inStreet ? 10 : 5) && people.length > 0 && crew.length > 0; k++) {
      const person = pick(rng, people);
      const kind = pick(rng, [
        'meals',
        'medicine',
        'shopping',
        'accompaniment',
        'home_repair',
        'companionship',
      ] as const);
      const created = T - (3 + Math.floor(rng() * 85)) * DAY + Math.floor(rng() * 8 * 60) * MINUTE - 6 * HOUR;
      const skilled = crew.filter(
        (v) => v.skillList.includes(KIND_SKILL[kind]) && Date.parse(v.created_at) < created,
      );
      const near = skilled.filter((v) => isWithin(v.home_path, upTo(person.node_path, 3)));
      const v = pick(rng, near.length ? near : skilled.length ? skilled : crew);
      const accepted = created + (15 + Math.floor(rng() * 75)) * MINUTE;
      const doneAt = accepted + (60 + Math.floor(rng() * 180)) * MINUTE;
      const minutes = 30 + Math.floor(rng() * 10) * 10;
      const r = rng();
      const raisedBy = inStreet ? 'coordinator' : r < 0.5 ? 'public' : 'carer';
      done.push({
        person_id: person.id,
        node_id: person.node_id,
        node_path: person.node_path,
        kind,
        details: REQUEST_TEXT[kind].details,
        source: raisedBy,
        follow_up_id: null,
        status: 'done',
        volunteer_id: v.id,
        org_id: v.org_id,
        respond_by: iso(created + RESPOND_HOURS[kind] * HOUR),
        accepted_at: iso(accepted),
        done_at: iso(doneAt),
        done_note: REQUEST_TEXT[kind].done,
        minutes,
        satisfaction: r < 0.6 ? 5 : r < 0.85 ? 4 : r < 0.92 ? 3 : null,
        created_by:
          raisedBy === 'coordinator'
            ? o.posters.street
            : raisedBy === 'carer'
              ? pick(rng, crew).user_id
              : null,
        created_at: iso(created),
        updated_at: iso(doneAt),
      });
      credit(v, iso(doneAt), minutes);
    }
  }

  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < callouts.length; i += BATCH)
      await trx
        .insertInto('callouts')
        .values(callouts.slice(i, i + BATCH))
        .execute();
    // No call-out was there before these: each found again by its place and start.
    const ids = await trx.selectFrom('callouts').select(['id', 'node_path', 'starts_at']).execute();
    const signups = ids.flatMap((c) =>
      (signupsOf.get(`${c.node_path} ${c.starts_at}`) ?? []).map((s) => ({ ...s, callout_id: c.id })),
    );
    for (let i = 0; i < signups.length; i += BATCH)
      await trx
        .insertInto('callout_signups')
        .values(signups.slice(i, i + BATCH))
        .execute();
    for (let i = 0; i < done.length; i += BATCH)
      await trx
        .insertInto('service_requests')
        .values(done.slice(i, i + BATCH))
        .execute();
    // What creditMinutes and the no-show count keep, as sums.
    const hours = [...credited.values()];
    for (let i = 0; i < hours.length; i += BATCH)
      await trx
        .insertInto('volunteer_hours')
        .values(hours.slice(i, i + BATCH))
        .execute();
    const perVolunteer = new Map<number, { minutes: number; noShows: number }>();
    const perOrg = new Map<number, number>();
    for (const h of hours) {
      const v = perVolunteer.get(h.volunteer_id) ?? { minutes: 0, noShows: 0 };
      v.minutes += h.minutes;
      perVolunteer.set(h.volunteer_id, v);
      if (h.org_id !== 0) perOrg.set(h.org_id, (perOrg.get(h.org_id) ?? 0) + h.minutes);
    }
    for (const [id, n] of noShows) {
      const v = perVolunteer.get(id) ?? { minutes: 0, noShows: 0 };
      v.noShows += n;
      perVolunteer.set(id, v);
    }
    const totals = [...perVolunteer.entries()];
    for (let i = 0; i < totals.length; i += BATCH) {
      const chunk = totals.slice(i, i + BATCH);
      await sql`update volunteers set
          minutes_total = minutes_total + ${byId(chunk.map(([id, v]) => [id, sql`cast(${v.minutes} as integer)`]))},
          no_shows = no_shows + ${byId(chunk.map(([id, v]) => [id, sql`cast(${v.noShows} as integer)`]))}
        where id in (${sql.join(chunk.map(([id]) => id))})`.execute(trx);
    }
    for (const [id, minutes] of perOrg)
      await trx
        .updateTable('volunteer_orgs')
        .set((eb) => ({ minutes_total: eb('minutes_total', '+', minutes) }))
        .where('id', '=', id)
        .execute();
    await bumpCountersMany(
      trx,
      hours.map((h) => ({
        nodePath: h.home_path,
        deltas: { [SERVICES_METRICS.minutes(h.month)]: h.minutes },
      })),
    );
  });
  return { callouts: callouts.length, requests: done.length };
}

/** `case id when … then … end`: one UPDATE sets a different value on each of many rows. */
function byId(pairs: readonly (readonly [number, RawBuilder<unknown>])[]): RawBuilder<unknown> {
  return sql`case id ${sql.join(
    pairs.map(([id, v]) => sql`when ${id} then ${v}`),
    sql` `,
  )} end`;
}

/**
 * Visits since the roster began, written in batches: most rows have a volunteer of their village (or
 * town) as visitor, who came about on the rhythm; a few lapsed, and those without a visitor were not
 * visited: both are overdue now, as on a real roster.
 */
async function seedVisits(
  db: DB,
  o: {
    rng: Rng;
    today: string;
    rows: readonly { id: number; node_path: string; every_days: number; started_on: string }[];
    accountsIn: (path: string) => readonly { id: number; user_id: number | null }[];
  },
) {
  const { rng, today } = o;
  const turn = new Map<string, number>();
  const visits: {
    roster_id: number;
    volunteer_id: number;
    user_id: number;
    visited_on: string;
    note: string | null;
    lat: null;
    lng: null;
    created_at: string;
  }[] = [];
  const assigned: { id: number; visitor: number; last: string | null; next: string }[] = [];
  for (const r of o.rows) {
    if (rng() >= 0.9) continue;
    const village = upTo(r.node_path, 3);
    const crew = o.accountsIn(village).length ? o.accountsIn(village) : o.accountsIn(upTo(r.node_path, 2));
    if (crew.length === 0) continue;
    const scope = o.accountsIn(village).length ? village : upTo(r.node_path, 2);
    const k = turn.get(scope) ?? 0;
    turn.set(scope, k + 1);
    const v = crew[k % crew.length]!;
    const days: string[] = [];
    for (let d = addDays(r.started_on, Math.floor(rng() * r.every_days)); d <= today;) {
      days.push(d);
      d = addDays(d, r.every_days + Math.floor(rng() * 4) - 2);
    }
    // Lapsed: nobody came for a while, so the visit is overdue by a few days or more.
    if (rng() < 0.08)
      while (days.length > 0 && addDays(days.at(-1)!, r.every_days) >= addDays(today, -1)) days.pop();
    for (const d of days)
      visits.push({
        roster_id: r.id,
        volunteer_id: v.id,
        user_id: v.user_id!,
        visited_on: d,
        note: rng() < 0.15 ? pick(rng, VISIT_NOTES) : null,
        lat: null,
        lng: null,
        created_at: localAt(
          d,
          `${String(9 + Math.floor(rng() * 8)).padStart(2, '0')}:${String(Math.floor(rng() * 60)).padStart(2, '0')}`,
        ),
      });
    // As recordVisit keeps them: due a rhythm after the last visit (after the start when none).
    const last = days.at(-1) ?? null;
    assigned.push({ id: r.id, visitor: v.id, last, next: addDays(last ?? r.started_on, r.every_days) });
  }
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < visits.length; i += BATCH)
      await trx
        .insertInto('care_visits')
        .values(visits.slice(i, i + BATCH))
        .execute();
    // A few statements for all the rows: each its visitor, its last visit and its next due day.
    for (let i = 0; i < assigned.length; i += BATCH) {
      const chunk = assigned.slice(i, i + BATCH);
      await sql`update care_roster set
          visitor_id = ${byId(chunk.map((r) => [r.id, sql`cast(${r.visitor} as integer)`]))},
          last_visit_on = ${byId(chunk.map((r) => [r.id, sql`cast(${r.last} as text)`]))},
          next_due_on = ${byId(chunk.map((r) => [r.id, sql`cast(${r.next} as text)`]))}
        where id in (${sql.join(chunk.map((r) => r.id))})`.execute(trx);
    }
  });
  return { visits: visits.length };
}
