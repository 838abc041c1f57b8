// The demo's joint mediation (矛盾联调), made through the mediation service itself so that dossier
// numbers, PDFs, hashes, counters and audit rows are those of real cases: a people's mediation
// committee in every town and village, micro-court points (one at 太源村 with the demo invited
// mediator), the family-mediation team 山花帮帮团 and the district court; in the demo mediator's town
// (於潜镇) cases in every state — among them the 77 wage claimants' agreement, confirmed by the court
// and due a follow-up visit, and a lease dispute settled at a cloud hearing whose confirmation waits
// for the demo judge — plus a year of concluded cases across the district for the statistics. The
// invited mediator finds today's bookings at 太源村. seed.ts calls it after the people.
import { idCheckChar } from '../../common/validators.js';
import { addDays, localDate } from '../../common/worktime.js';
import type { DisputeType } from '../../common/contracts/mediation-codes.js';
import type { DB } from '../db/index.js';
import { nowIso } from '../db/index.js';
import { createMediationService } from '../modules/mediation/index.js';
import { loadActor } from '../platform/auth.js';
import { hashPassword } from '../platform/crypto.js';
import type { PiiCipher } from '../platform/pii.js';
import { newUserRow } from '../modules/accounts/index.js';
import { prng } from './names.js';
import { NAMED_VILLAGE } from './layout.js';

export interface SeedMediationOptions {
  pii: PiiCipher;
  adminUserId: number;
  mediatorUserId: number;
  judgeUserId: number;
  invitedUserId: number;
  now?: string;
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万钱严赖覃洪武莫孔';
const GIVEN = '建国志强秀英桂兰海燕卫东文斌丽萍春华思远德明晓燕立新红梅建华玉兰国平美玲永强小军秋菊金凤家豪';
const MEDIATORS_OF_TEAM = [
  { username: 'shanhua1', name: '俞月琴' },
  { username: 'shanhua2', name: '潘桂芳' },
  { username: 'shanhua3', name: '盛雅琴' },
];

/** A valid ID number for the n-th party of the demo (born 1960–1999, 於潜镇's region code). */
function idNumber(n: number): string {
  const year = 1960 + (n % 40);
  const month = String(1 + (n % 12)).padStart(2, '0');
  const day = String(1 + (n % 28)).padStart(2, '0');
  const first17 = `330112${year}${month}${day}${String(100 + (n % 900)).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

export async function seedMediation(db: DB, opts: SeedMediationOptions) {
  const rng = prng(2020);
  const pick = (s: string) => s[Math.floor(rng() * s.length)]!;
  let personSeq = 0;
  const person = () => {
    personSeq++;
    const g = Math.floor(rng() * (GIVEN.length / 2)) * 2;
    return {
      name: pick(SURNAMES) + GIVEN.slice(g, g + 2),
      idNumber: idNumber(personSeq),
      phone: `139${String(57_000_000 + personSeq).padStart(8, '0')}`,
    };
  };
  const realNow = opts.now ?? nowIso();
  let clock = realNow;
  const svc = createMediationService({ db, pii: opts.pii, now: () => clock });
  const ctxOf = async (id: number) => {
    const actor = await loadActor(db, id, 'session');
    if (!actor) throw new Error(`demo mediation seed: user ${id} cannot act`);
    return { actor, requestId: 'demo-mediation' };
  };
  const today = localDate(realNow);
  const at = (daysAgo: number, hour = 10) => {
    const d = addDays(today, -daysAgo);
    return new Date(`${d}T${String(hour).padStart(2, '0')}:00:00+08:00`).toISOString();
  };

  // ---- organisations: written directly (hundreds of committees), one audit row per kind via the service below
  const nodes = await db.selectFrom('nodes').select(['id', 'name', 'path', 'level', 'parent_id']).execute();
  const district = nodes.find((n) => n.level === 'district')!;
  const towns = nodes.filter((n) => n.level === 'town');
  const villagesOf = (townId: number) =>
    nodes.filter((n) => n.parent_id === townId).sort((a, b) => a.id - b.id);
  const yuqian = towns.find((t) => t.name === '於潜镇')!;
  const taihu = towns.find((t) => t.name === NAMED_VILLAGE.town)!;
  const taiyuan = villagesOf(taihu.id).find((v) => v.name === NAMED_VILLAGE.name)!;
  const created = nowIso();
  const committees = [...towns, ...nodes.filter((n) => n.level === 'village')].map((n) => ({
    kind: 'committee' as const,
    name: `${n.name}人民调解委员会`,
    node_id: n.id,
    node_path: n.path,
    address: null,
    equipment: null,
    hours: null,
    in_charge_user_id: null,
    created_at: created,
  }));
  for (let i = 0; i < committees.length; i += 200)
    await db
      .insertInto('mediation_orgs')
      .values(committees.slice(i, i + 200))
      .execute();
  const orgId = async (name: string) =>
    (await db.selectFrom('mediation_orgs').select('id').where('name', '=', name).executeTakeFirstOrThrow())
      .id;

  const admin = await ctxOf(opts.adminUserId);
  const yq1 = villagesOf(yuqian.id)[1] ?? villagesOf(yuqian.id)[0]!;
  const point = await svc.createOrg(admin, {
    kind: 'micro_court',
    name: `${NAMED_VILLAGE.name}微法庭`,
    nodeId: taiyuan.id,
    address: `${NAMED_VILLAGE.town}${NAMED_VILLAGE.name}村委会二楼`,
    equipment: '网线、电脑一台、摄像头、打印机',
    hours: '工作日 8:30–17:00',
    inChargeUserId: opts.invitedUserId,
  });
  const yqPoint = await svc.createOrg(admin, {
    kind: 'micro_court',
    name: `${yq1.name}微法庭`,
    nodeId: yq1.id,
    address: `於潜镇${yq1.name}文化礼堂`,
    equipment: '网线、电脑一台、摄像头',
    hours: '工作日 8:30–17:00',
    inChargeUserId: null,
  });
  const team = await svc.createOrg(admin, {
    kind: 'family_team',
    name: '山花帮帮团',
    nodeId: district.id,
    address: '临安区妇联',
    equipment: null,
    hours: null,
    inChargeUserId: null,
  });
  const court = await svc.createOrg(admin, {
    kind: 'court',
    name: '临安区人民法院',
    nodeId: district.id,
    address: '临安区锦城街道',
    equipment: null,
    hours: null,
    inChargeUserId: null,
  });

  // ---- mediators: the demo mediator at 於潜镇's committee, the invited mediator at 太源村's, the family team
  const yqCommittee = await orgId('於潜镇人民调解委员会');
  const mediator = await svc.createMediator(admin, {
    userId: opts.mediatorUserId,
    orgId: yqCommittee,
    specialties: ['neighbour', 'land_housing', 'labour_wages', 'contract', 'tort'],
    qualification: '人民调解员（三级）',
    profile: '从事基层调解十二年，擅长邻里、土地与劳动报酬纠纷。',
  });
  await svc.createMediator(admin, {
    userId: opts.invitedUserId,
    orgId: await orgId(`${NAMED_VILLAGE.name}人民调解委员会`),
    specialties: ['neighbour', 'land_housing', 'marriage_family'],
    qualification: '特邀调解员（法院聘任）',
    profile: '太源村党总支书记，法院特邀调解员，负责微法庭。',
  });
  const hash = await hashPassword(`demo-${Math.floor(rng() * 1e9)}-unusable`);
  const teamIds: number[] = [];
  const teamUserIds: number[] = [];
  for (const m of MEDIATORS_OF_TEAM) {
    const existing = await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', m.username)
      .executeTakeFirst();
    const uid =
      existing?.id ??
      (
        await db
          .insertInto('users')
          // No role and a password nobody knows: they sign their agreements, nothing more.
          .values(newUserRow(m.username, m.name, hash, created))
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const v = await svc.createMediator(admin, {
      userId: uid,
      orgId: team.id,
      specialties: ['marriage_family', 'child_support', 'elder_support'],
      qualification: '婚姻家庭调解员',
      profile: '山花帮帮团成员，专注婚姻、抚养与赡养纠纷。',
    });
    teamIds.push(v.id);
    teamUserIds.push(uid);
  }

  const med = await ctxOf(opts.mediatorUserId);
  const judge = await ctxOf(opts.judgeUserId);
  const yqVillages = villagesOf(yuqian.id);
  const place = (i: number) => yqVillages[i % yqVillages.length]!;

  type P = ReturnType<typeof person>;
  type Ctx = Awaited<ReturnType<typeof ctxOf>>;
  let by: Ctx = med;
  const caseOf = async (
    nodeId: number,
    disputeType: DisputeType,
    facts: string,
    claims: string,
    applicants: P[],
    respondents: { name: string; idNumber: string | null; phone: string | null; kind?: 'person' | 'org' }[],
    amountYuan: number | null = null,
  ) => {
    const v = await svc.create(by, {
      nodeId,
      source: 'application',
      disputeType,
      facts,
      claims,
      amountYuan,
      eventId: null,
      parties: [
        ...applicants.map((p) => ({
          side: 'applicant' as const,
          kind: 'person' as const,
          agent: null,
          ...p,
        })),
        ...respondents.map((p) => ({
          side: 'respondent' as const,
          agent: null,
          kind: p.kind ?? ('person' as const),
          ...p,
        })),
      ],
    });
    return v;
  };
  const consentAll = async (caseId: number) => {
    const v = await svc.view(by, caseId);
    for (const p of v.parties)
      if (p.consent === 'pending')
        await svc.consent(by, caseId, { partyId: p.id, consent: 'yes', online: true });
  };
  const mediate = async (caseId: number, mediatorId = mediator.id) => {
    await consentAll(caseId);
    return svc.assign(by, caseId, { mediatorId, chosenByParties: false });
  };
  const holdSession = async (
    caseId: number,
    startsAt: string,
    mode: 'in_person' | 'micro_court' = 'in_person',
  ) => {
    const s = await svc.schedule(med, caseId, {
      startsAt,
      mode,
      pointId: mode === 'micro_court' ? yqPoint.id : null,
      meetingLink: null,
    });
    const v = await svc.view(med, caseId);
    await svc.minute(med, caseId, s.id, {
      attendance: v.parties.map((p) => p.id),
      attendees: [...v.parties.slice(0, 6).map((p) => p.name), '金秀英（调解员）'],
      facts: '经调查，双方对基本事实无争议。',
      positions: '申请人坚持诉求；被申请人同意部分承担。',
      result: '双方同意在调解员主持下协商，初步达成一致意见。',
    });
  };
  const signAll = async (caseId: number, people: Map<string, string>, mediatorCtx: Ctx = med) => {
    const v = await svc.view(by, caseId);
    const links = await svc.signLinks(by, v.agreement!.id);
    for (const l of links.items) {
      const id = people.get(l.name);
      if (id)
        await svc.signByLink({ actor: null, requestId: 'demo-mediation' }, l.token, {
          name: l.name,
          idNumber: id,
        });
    }
    await svc.signAsMediator(mediatorCtx, v.agreement!.id);
  };
  const ids = (ps: P[]) => new Map(ps.map((p) => [p.name, p.idNumber]));
  // Names unique within a case: signing matches by name.
  const distinct = (n: number) => {
    const out: P[] = [];
    const seen = new Set<string>();
    while (out.length < n) {
      const p = person();
      if (!seen.has(p.name)) {
        seen.add(p.name);
        out.push(p);
      }
    }
    return out;
  };

  // ---- the 77 wage claimants (40 days ago): agreed, confirmed by the court, a follow-up due
  clock = at(40, 9);
  const workers = distinct(77);
  const employer = { name: '临安於潜竹木制品有限公司', idNumber: null, phone: null, kind: 'org' as const };
  const wage = await caseOf(
    place(2).id,
    'labour_wages',
    '申请人77人系被申请人竹木加工厂工人，被申请人拖欠2025年9月至12月工资共计人民币1,386,000元。',
    '请求被申请人支付拖欠工资。',
    workers,
    [employer],
    1_386_000,
  );
  await mediate(wage.id);
  clock = at(38, 14);
  await holdSession(wage.id, at(38, 14));
  const wageParties = (await svc.view(med, wage.id)).parties;
  const company = wageParties.find((p) => p.side === 'respondent')!;
  await svc.draftAgreement(med, wage.id, {
    facts: '被申请人拖欠申请人77人2025年9月至12月工资共计人民币1,386,000元，双方对金额无异议。',
    disputedPoints: '拖欠工资的支付期限与方式。',
    obligations: wageParties
      .filter((p) => p.side === 'applicant')
      .map((p, i) => ({
        partyId: company.id,
        what: `向${p.name}支付拖欠工资`,
        amountYuan: 18_000,
        manner: '银行转账',
        deadline: addDays(today, i % 2 === 0 ? -8 : -5),
      })),
    otherTerms: '被申请人逾期未付的，申请人可就未付部分申请强制执行。',
  });
  // The company signs at the committee, its legal representative's ID checked; the workers online.
  clock = at(37, 10);
  const wageView = await svc.view(med, wage.id);
  await svc.signAssisted(med, wageView.agreement!.id, { partyId: company.id });
  await signAll(wage.id, ids(workers));
  clock = at(36, 9);
  await svc.applyConfirmation(med, wageView.agreement!.id, {
    courtId: court.id,
    materials: ['application_form', 'agreement', 'identity_documents', 'evidence'],
    matters: [],
  });
  const wageConf = (await svc.confirmations(judge, {})).items.find((c) => c.caseId === wage.id)!;
  clock = at(35, 15);
  await svc.decideConfirmation(judge, wageConf.id, 'accept', { accept: true, reason: null });
  clock = at(30, 10);
  await svc.decideConfirmation(judge, wageConf.id, 'decide', {
    confirm: true,
    ruling: '经审查，调解协议符合司法确认条件，确认有效。一方当事人拒绝履行的，对方可向本院申请强制执行。',
  });
  // The first follow-up after the earlier deadline found it partly paid: flagged on a confirmed agreement.
  clock = at(3, 16);
  const wageFollow = (await svc.followUps(med)).items.filter((f) => f.caseId === wage.id);
  if (wageFollow[0])
    await svc.recordFollowUp(med, wageFollow[0].id, {
      performance: 'partial',
      satisfaction: 3,
      note: '已支付一半工人的工资，其余承诺月底前付清。',
    });

  // ---- a lease dispute settled at a cloud hearing (12 days ago); confirmation waits for the judge
  clock = at(14, 9);
  const [lessor, lessee] = distinct(2);
  const lease = await caseOf(
    yq1.id,
    'contract',
    '申请人将其位于於潜镇的店面出租给被申请人，被申请人拖欠租金三个月并要求退租，双方对押金退还发生争议。',
    '请求支付欠付租金并按约定处理押金。',
    [lessor!],
    [lessee!],
    36_000,
  );
  await mediate(lease.id);
  clock = at(13, 10);
  await svc.book(judge, {
    pointId: yqPoint.id,
    caseId: lease.id,
    title: '房屋租赁合同纠纷云庭审（诉前调解）',
    startsAt: at(12, 9),
    endsAt: at(12, 11),
    participants: [
      { name: '应文斌（法官）', place: 'court' },
      { name: lessor!.name, place: 'point' },
      { name: lessee!.name, place: 'home' },
    ],
  });
  clock = at(12, 11);
  await holdSession(lease.id, at(12, 9), 'micro_court');
  const leaseView = await svc.view(med, lease.id);
  const byName = new Map(leaseView.parties.map((p) => [p.name, p.id]));
  await svc.draftAgreement(med, lease.id, {
    facts: '双方于2025年3月签订店面租赁合同，月租金12,000元，被申请人欠付三个月租金。',
    disputedPoints: '欠付租金数额及押金的处理。',
    obligations: [
      {
        partyId: byName.get(lessee!.name)!,
        what: '支付欠付租金（扣除押金后）',
        amountYuan: 24_000,
        manner: '银行转账',
        deadline: addDays(today, 10),
      },
      {
        partyId: byName.get(lessor!.name)!,
        what: '同意解除租赁合同并配合办理退租',
        amountYuan: null,
        manner: '现场交接',
        deadline: addDays(today, 3),
      },
    ],
    otherTerms: null,
  });
  await signAll(lease.id, ids([lessor!, lessee!]));
  clock = at(10, 9);
  await svc.applyConfirmation(med, leaseView.agreement?.id ?? (await svc.view(med, lease.id)).agreement!.id, {
    courtId: court.id,
    materials: ['application_form', 'agreement', 'identity_documents'],
    matters: [],
  });

  // ---- another agreement, applied for yesterday: the judge has it to accept
  clock = at(6, 9);
  const [n1, n2] = distinct(2);
  const fence = await caseOf(
    place(3).id,
    'neighbour',
    '申请人与被申请人系邻居，被申请人新砌围墙占用申请人宅基地约0.6米，影响通行。',
    '请求拆除占用部分并恢复原状。',
    [n1!],
    [n2!],
  );
  await mediate(fence.id);
  clock = at(4, 15);
  await holdSession(fence.id, at(4, 14));
  const fenceView = await svc.view(med, fence.id);
  await svc.draftAgreement(med, fence.id, {
    facts: '被申请人所砌围墙越界约0.6米，双方现场确认界址。',
    disputedPoints: '围墙的拆除与费用承担。',
    obligations: [
      {
        partyId: fenceView.parties.find((p) => p.side === 'respondent')!.id,
        what: '拆除越界围墙并恢复原状',
        amountYuan: null,
        manner: '自行施工',
        deadline: addDays(today, 20),
      },
    ],
    otherTerms: '拆除费用由被申请人承担。',
  });
  await signAll(fence.id, ids([n1!, n2!]));
  clock = at(1, 10);
  await svc.applyConfirmation(med, (await svc.view(med, fence.id)).agreement!.id, {
    courtId: court.id,
    materials: ['application_form', 'agreement', 'identity_documents'],
    matters: [],
  });

  // ---- open cases waiting for the mediator
  clock = at(0, 8);
  // Signing: drafted, one party has signed.
  const [s1, s2] = distinct(2);
  const debt = await caseOf(
    place(4).id,
    'contract',
    '被申请人向申请人借款50,000元，约定一年内归还，逾期未还。',
    '请求归还借款。',
    [s1!],
    [s2!],
    50_000,
  );
  await mediate(debt.id);
  await holdSession(debt.id, at(2, 10));
  const debtView = await svc.view(med, debt.id);
  await svc.draftAgreement(med, debt.id, {
    facts: '被申请人确认借款50,000元属实。',
    disputedPoints: '还款期限与分期方式。',
    obligations: [
      {
        partyId: debtView.parties.find((p) => p.side === 'respondent')!.id,
        what: '分两期归还借款',
        amountYuan: 50_000,
        manner: '银行转账',
        deadline: addDays(today, 60),
      },
    ],
    otherTerms: null,
  });
  const debtLinks = await svc.signLinks(med, (await svc.view(med, debt.id)).agreement!.id);
  const first = debtLinks.items.find((l) => l.name === s1!.name)!;
  await svc.signByLink({ actor: null, requestId: 'demo-mediation' }, first.token, {
    name: s1!.name,
    idNumber: s1!.idNumber,
  });

  // Mediating, with a session today at 15:00.
  const [d1, d2] = distinct(2);
  const drain = await caseOf(
    place(0).id,
    'neighbour',
    '被申请人房屋排水管直排至申请人院内，雨天积水严重。',
    '请求改道排水管并赔偿损失。',
    [d1!],
    [d2!],
    3_000,
  );
  await mediate(drain.id);
  await svc.schedule(med, drain.id, {
    startsAt: new Date(`${today}T15:00:00+08:00`).toISOString(),
    mode: 'in_person',
    pointId: null,
    meetingLink: null,
  });
  // A family case in caucus with the 山花帮帮团, each side's messages to the mediator only.
  const [w1, h1] = distinct(2);
  const family = await caseOf(
    place(1).id,
    'marriage_family',
    '申请人与被申请人系夫妻，因家务与赡养老人问题长期争吵，申请人提出分居。',
    '请求调解家庭矛盾。',
    [w1!],
    [h1!],
  );
  await mediate(family.id);
  const familyLinks = await svc.partyLinks(med, family.id);
  for (const [i, l] of familyLinks.items.entries())
    await svc.partyMessage({ actor: null, requestId: 'demo-mediation' }, l.token, {
      body: i === 0 ? '希望调解员先单独听听我的想法，不想当面争吵。' : '我愿意沟通，但请先和我单独谈。',
    });
  await svc.schedule(med, family.id, {
    startsAt: new Date(`${addDays(today, 1)}T10:00:00+08:00`).toISOString(),
    mode: 'in_person',
    pointId: null,
    meetingLink: null,
  });
  // Received: the respondent has not answered yet; and one with every consent, waiting for a mediator.
  const [r1, r2, r3, r4, r5, r6] = distinct(6);
  await caseOf(
    place(5).id,
    'land_housing',
    '双方因承包地边界发生争议，申请人称被申请人耕种越界。',
    '请求确认地界。',
    [r1!],
    [r2!],
  );
  const waiting = await caseOf(
    place(6).id,
    'tort',
    '被申请人饲养的狗咬伤申请人，医药费1,200元。',
    '请求赔偿医药费。',
    [r3!],
    [r4!],
    1_200,
  );
  await consentAll(waiting.id);
  // Refused (Art. 17), withdrawn, failed, referred.
  const refused = await caseOf(
    place(7).id,
    'neighbour',
    '申请人称被申请人夜间噪音扰民。',
    '请求停止噪音。',
    [r5!],
    [r6!],
  );
  const rv = await svc.view(med, refused.id);
  await svc.consent(med, refused.id, {
    partyId: rv.parties.find((p) => p.side === 'respondent')!.id,
    consent: 'no',
    online: false,
  });
  const [x1, x2, y1, y2, z1, z2] = distinct(6);
  const withdrawn = await caseOf(
    place(8).id,
    'contract',
    '装修款结算争议。',
    '请求支付装修尾款。',
    [x1!],
    [x2!],
    8_000,
  );
  await mediate(withdrawn.id);
  await svc.conclude(med, withdrawn.id, 'withdraw', { reason: '双方已自行和解。' });
  const failed = await caseOf(
    place(9).id,
    'tort',
    '交通事故赔偿争议，双方对伤残等级有分歧。',
    '请求赔偿各项损失。',
    [y1!],
    [y2!],
    120_000,
  );
  await mediate(failed.id);
  await holdSession(failed.id, at(0, 9));
  await svc.conclude(med, failed.id, 'fail', {
    route: 'litigation',
    note: '双方分歧较大，已告知申请人可向人民法院起诉。',
  });
  const referred = await caseOf(
    place(10).id,
    'other',
    '申请人反映邻居私搭乱建，涉及违法建筑。',
    '请求拆除违建。',
    [z1!],
    [z2!],
  );
  await svc.conclude(med, referred.id, 'refer', { reason: '涉及违法建设，移交综合执法队处理。' });

  // ---- a year of concluded cases across the district, for the statistics: taken in by the
  // district's administrator, mediated by the demo mediator or (family matters) the 山花帮帮团
  by = admin;
  const teamCtx = await Promise.all(teamUserIds.map((id) => ctxOf(id)));
  const types: DisputeType[] = [
    'neighbour',
    'marriage_family',
    'labour_wages',
    'land_housing',
    'contract',
    'tort',
    'elder_support',
    'child_support',
  ];
  for (let i = 0; i < 24; i++) {
    const town = towns[i % towns.length]!;
    const village = villagesOf(town.id)[i % 3] ?? villagesOf(town.id)[0]!;
    clock = at(300 - i * 12, 9);
    const [a, b] = distinct(2);
    const type = types[i % types.length]!;
    const v = await caseOf(village.id, type, '历史调解案件。', '请求调解。', [a!], [b!]);
    const family = type === 'marriage_family' || type === 'elder_support' || type === 'child_support';
    await mediate(v.id, family ? teamIds[i % teamIds.length]! : mediator.id);
    clock = at(300 - i * 12 - 3, 15);
    const outcome = i % 6; // 0–3 agreed, 4 withdrawn, 5 failed
    if (outcome === 4) await svc.conclude(by, v.id, 'withdraw', { reason: '申请人撤回。' });
    else if (outcome === 5)
      await svc.conclude(by, v.id, 'fail', { route: 'litigation', note: '告知诉讼途径。' });
    else {
      const vv = await svc.view(by, v.id);
      await svc.draftAgreement(by, v.id, {
        facts: '双方确认事实。',
        disputedPoints: '赔偿与履行方式。',
        obligations: [
          {
            partyId: vv.parties.find((p) => p.side === 'respondent')!.id,
            what: '履行协议约定',
            amountYuan: 2_000 + i * 100,
            manner: '现金',
            deadline: addDays(localDate(clock), 15),
          },
        ],
        otherTerms: null,
      });
      await signAll(v.id, ids([a!, b!]), family ? teamCtx[i % teamCtx.length]! : med);
      // Visited after the deadline, performed: history, not work waiting.
      const done = await svc.view(by, v.id);
      for (const f of done.followUps) {
        clock = new Date(`${f.dueOn}T10:00:00+08:00`).toISOString();
        await svc.recordFollowUp(by, f.id, { performance: 'full', satisfaction: 5, note: null });
      }
    }
  }
  by = med;

  // ---- today's bookings at 太源村's micro court, for the invited mediator
  clock = realNow;
  await svc.book(judge, {
    pointId: point.id,
    caseId: null,
    title: '民间借贷纠纷云庭审',
    startsAt: new Date(`${today}T09:30:00+08:00`).toISOString(),
    endsAt: new Date(`${today}T11:00:00+08:00`).toISOString(),
    participants: [
      { name: '应文斌（法官）', place: 'court' },
      { name: '原告 ' + person().name, place: 'point' },
      { name: '被告 ' + person().name, place: 'home' },
    ],
  });
  await svc.book(judge, {
    pointId: point.id,
    caseId: null,
    title: '赡养纠纷诉前调解（远程）',
    startsAt: new Date(`${today}T14:00:00+08:00`).toISOString(),
    endsAt: new Date(`${today}T15:30:00+08:00`).toISOString(),
    participants: [
      { name: '应文斌（法官）', place: 'court' },
      { name: person().name, place: 'point' },
      { name: person().name, place: 'point' },
    ],
  });
  return { cases: 12 + 24 };
}
