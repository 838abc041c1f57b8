// The mediation workload (矛盾联调), on the district-scale tree with its accounts (no residents: a case's
// parties are its own rows), on each database. (1) The agreement PDF: drafted through the service as
// the case's mediator (`draftAgreement` on a case in 'mediating': the document assembled, the PDF
// rendered, hashed and stored with its signatures, the case's view answered), for a two-page
// two-party agreement and for the 77 claimants' wage agreement, each draft revised back (untimed)
// before the next; and the bare `renderAgreementPdf` of the same documents. (2) The statistics over a
// year of 20,000 concluded cases (bulk-inserted, with some open ones and judicial confirmations) for
// the district's commander, a town's and a village, checked against a count in JavaScript over every
// row; each statement the service runs timed on its own and planned. (3) The process's RSS.
import crypto from 'node:crypto';
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { sql } from 'kysely';
import { PDFDocument } from 'pdf-lib';
import {
  createCaseBody,
  draftAgreementBody,
  type StatsFigures,
  type StatsView,
} from '../common/contracts/mediation.js';
import {
  CASE_SOURCES,
  DISPUTE_TYPES,
  FAILURE_ROUTES,
  FAMILY_TYPES,
  type ConfirmationState,
  type DisputeType,
} from '../common/contracts/mediation-codes.js';
import { idCheckChar } from '../common/validators.js';
import { addDays, localDate } from '../common/worktime.js';
import { migrateToLatest, nowIso, type DB } from '../server/db/index.js';
import { seedDemo } from '../server/demo/index.js';
import { ensureBuiltinRoles, newUserRow } from '../server/modules/accounts/index.js';
import {
  agreementContentHash,
  createMediationService,
  MEDIATION_METRICS,
  rebuildMediationStats,
  renderAgreementPdf,
  type AgreementDocument,
  type MediationService,
} from '../server/modules/mediation/index.js';
import type { RequestContext } from '../server/platform/actor.js';
import { loadActor } from '../server/platform/auth.js';
import { hashPassword } from '../server/platform/crypto.js';
import { bumpCountersMany } from '../server/platform/live.js';
import { createPiiCipher } from '../server/platform/pii.js';
import { cell, prng, rssMb, sample, summarize, type Summary, type Workload } from './lib.js';
import { explainCall, runSideBySide, type Opened, type StatementFigures } from './targets.js';

const PASSWORD = 'bench-password-330112';
/** Concluded cases over the year (the issue's 20,000), and cases received but not concluded besides. */
const CASES = Number(process.env.BENCH_MEDIATION_CASES ?? 20_000);
const OTHER_CASES = Number(process.env.BENCH_MEDIATION_OTHER ?? 1_000);
/** Share of the agreed cases whose agreement went to the court for judicial confirmation. */
const CONFIRMED_SHARE = 0.15;
const N = { pdf: 30, pdfWarmup: 5, stats: 50, statsWarmup: 5, statement: 20 };
const GOAL = { twoPageP95Ms: 300, wageP95Ms: 2000, statsP95Ms: 50 };
/** The mediator's town (the demo mediator's) and the town commander's. */
const MEDIATOR_TOWN = '於潜镇';
const COMMANDER_TOWN = '锦城街道';
const CLAIMANTS = 77;

type Ctx = RequestContext;
const mb = (b: number) => Math.round((b / 1_048_576) * 10) / 10;
const hex = (n: number) => crypto.randomBytes(n).toString('hex');
const load = () => os.loadavg().map((x) => Math.round(x * 100) / 100);
/**
 * V8's heap still referenced: used after a full collection. The bench runs without --expose-gc, so
 * `gc` is exposed here, when first asked for (not when run.ts imports every workload).
 */
let collect: (() => void) | undefined;
const liveHeapMb = () => {
  if (!collect) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
  return mb(process.memoryUsage().heapUsed);
};

interface PdfFigures {
  pages: number;
  bytes: number;
  parties: number;
  obligations: number;
  /** The first draft of the run (fonts read from disk on the first database, code not yet optimised). */
  firstDraftMs: number;
  draftMs: Summary;
  renderMs: Summary;
}
interface StatsFiguresOf {
  node: string;
  ms: Summary;
  same: boolean;
  received: number;
  concluded: number;
  decided: number;
}
interface TargetResult {
  nodes: number;
  seedSeconds: number;
  loadSeconds: number;
  loaded: { concluded: number; other: number; agreements: number; confirmations: number; committees: number };
  stats: {
    district: StatsFiguresOf;
    town: StatsFiguresOf;
    village: StatsFiguresOf;
    period: string;
    /** The district's mediation.concluded.<month> counters over the period's months. */
    countersConcluded: number;
  };
  statements: { district: StatementFigures[]; village: StatementFigures[] };
  pdf: { twoPage: PdfFigures; wage: PdfFigures };
  /** This process's (the service's, the loader's and the checks'): PostgreSQL's start includes what the SQLite run left. */
  rssMb: { start: number; afterLoad: number; afterStats: number; afterPdf: number };
  /**
   * V8's heap used as it stood, and after a full collection (what is still referenced), and memory
   * outside it that JavaScript objects hold (Buffers: the font files, the PDFs), after the PDFs.
   */
  heapMb: { afterLoad: number; afterPdf: number; liveAfterPdf: number; externalAfterPdf: number };
  loadAverage: { start: number[]; afterLoad: number[]; afterStats: number[]; end: number[] };
}

// ------------------------------------------------------------------------------------------------
// The load: committees, mediators and a court (directly), then the cases, agreements, confirmations.

interface Place {
  id: number;
  path: string;
  name: string;
  level: string;
  parent_id: number | null;
}

/** A committee at every town and village (the demo's own seed makes them only with residents). */
async function loadOrgs(db: DB, places: Place[], districtPlace: Place) {
  const at = nowIso();
  const existing = new Map(
    (
      await db
        .selectFrom('mediation_orgs')
        .select(['id', 'node_id'])
        .where('kind', '=', 'committee')
        .execute()
    ).map((o) => [o.node_id, o.id]),
  );
  const missing = places.filter((p) => (p.level === 'town' || p.level === 'village') && !existing.has(p.id));
  for (let i = 0; i < missing.length; i += 200)
    await db
      .insertInto('mediation_orgs')
      .values(
        missing.slice(i, i + 200).map((p) => ({
          kind: 'committee' as const,
          name: `${p.name}人民调解委员会`,
          node_id: p.id,
          node_path: p.path,
          address: null,
          equipment: null,
          hours: null,
          in_charge_user_id: null,
          created_at: at,
        })),
      )
      .execute();
  const court = await db
    .insertInto('mediation_orgs')
    .values({
      kind: 'court',
      name: '临安区人民法院',
      node_id: districtPlace.id,
      node_path: districtPlace.path,
      address: null,
      equipment: null,
      hours: null,
      in_charge_user_id: null,
      created_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const committees = new Map(
    (
      await db
        .selectFrom('mediation_orgs')
        .select(['id', 'node_id'])
        .where('kind', '=', 'committee')
        .execute()
    ).map((o) => [o.node_id, o.id]),
  );
  return { committees, courtId: court.id };
}

/** One mediator per town's committee, each a user of their own: the bulk cases' mediators. */
async function loadMediators(db: DB, towns: Place[], committees: Map<number, number>) {
  const at = nowIso();
  const hash = await hashPassword(`bench-${hex(8)}-unusable`);
  const byTown = new Map<number, number>();
  for (const [i, t] of towns.entries()) {
    const user = await db
      .insertInto('users')
      .values(newUserRow(`bench_mediator_${i + 1}`, `调解员${i + 1}号`, hash, at))
      .returning('id')
      .executeTakeFirstOrThrow();
    const m = await db
      .insertInto('mediators')
      .values({
        user_id: user.id,
        org_id: committees.get(t.id)!,
        specialties: JSON.stringify(DISPUTE_TYPES),
        qualification: null,
        profile: null,
        created_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    byTown.set(t.id, m.id);
  }
  return byTown;
}

/** An instant `days` (fractional) before `iso`. */
const before = (iso: string, days: number) => new Date(Date.parse(iso) - days * 86_400_000).toISOString();

/**
 * The year's cases: CASES concluded (agreed 70%, failed 18%, withdrawn 12%) between the local first
 * of January and now, received 0–60 days before (mostly within a fortnight), 85% at villages and the
 * rest at towns, the dispute types uneven; OTHER_CASES received in the last 60 days and not concluded
 * (open, refused, referred). For CONFIRMED_SHARE of the agreed,
 * an agreement in effect and its application for judicial confirmation.
 */
async function loadCases(
  db: DB,
  o: {
    places: Place[];
    committees: Map<number, number>;
    mediatorOfTown: Map<number, number>;
    courtId: number;
    adminId: number;
    judgeId: number;
    log: (s: string) => void;
  },
) {
  const rand = prng(20261207);
  const r = () => rand(1_000_000) / 1_000_000;
  const pick = <T>(xs: readonly T[]) => xs[rand(xs.length)]!;
  const villages = o.places.filter((p) => p.level === 'village');
  const towns = o.places.filter((p) => p.level === 'town');
  const townOf = new Map(o.places.map((p) => [p.id, p.level === 'town' ? p.id : (p.parent_id ?? p.id)]));
  // Neighbours, family and land make most of a district's disputes.
  const weight: Partial<Record<DisputeType, number>> = {
    neighbour: 6,
    marriage_family: 4,
    land_housing: 3,
    contract: 3,
    labour_wages: 2,
    tort: 2,
  };
  const types = DISPUTE_TYPES.flatMap((t) => Array<DisputeType>(weight[t] ?? 1).fill(t));
  const now = nowIso();
  const yearStart = Date.parse(`${localDate(now).slice(0, 4)}-01-01T00:00:00+08:00`);
  const span = Date.parse(now) - 3_600_000 - yearStart;
  const seq = new Map<string, number>();
  const rows = [];
  for (let i = 0; i < CASES + OTHER_CASES; i++) {
    const place = r() < 0.85 ? pick(villages) : pick(towns);
    const orgId = o.committees.get(place.id)!;
    const type = pick(types);
    let status: string;
    let concludedAt: string | null = null;
    let receivedAt: string;
    if (i < CASES) {
      const x = r();
      status = x < 0.7 ? 'agreed' : x < 0.88 ? 'failed' : 'withdrawn';
      concludedAt = new Date(yearStart + r() * span).toISOString();
      receivedAt = before(concludedAt, 0.2 + r() * r() * 60);
    } else {
      status = pick(['received', 'mediating', 'mediating', 'signing', 'refused', 'referred']);
      receivedAt = before(now, 0.1 + r() * 60);
    }
    const year = Number(localDate(receivedAt).slice(0, 4));
    const key = `${orgId}/${year}`;
    const n = (seq.get(key) ?? 0) + 1;
    seq.set(key, n);
    rows.push({
      dossier_year: year,
      // Above anything the service numbers this year, which starts from the highest taken.
      dossier_seq: 100_000 + n,
      dossier_no: `(${year})临人调字第${100_000 + n}号`,
      org_id: orgId,
      node_id: place.id,
      node_path: place.path,
      source: pick(CASE_SOURCES),
      dispute_type: type,
      facts: '双方因相邻关系发生纠纷，经多次协商未果，申请人民调解委员会调解。',
      claims: '请求依法调解。',
      amount_cents: r() < 0.5 ? Math.round(r() * 5_000_000) * 100 : null,
      status,
      caucus: FAMILY_TYPES.includes(type) ? 1 : 0,
      mediator_id:
        status === 'received' || status === 'refused' ? null : o.mediatorOfTown.get(townOf.get(place.id)!)!,
      event_id: null,
      failure_route: status === 'failed' ? pick(FAILURE_ROUTES) : null,
      conclusion_note: status === 'failed' ? '双方分歧较大，已告知其他途径。' : null,
      received_at: receivedAt,
      concluded_at: concludedAt,
      created_by_user_id: o.adminId,
    });
  }
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('mediation_cases')
      .values(rows.slice(i, i + 500))
      .execute();
    if ((i + 500) % 5_000 === 0) o.log(`    ${i + 500} cases`);
  }
  // The counters the service would have kept for them (open, concluded per local month), up the tree.
  await bumpCountersMany(
    db,
    rows.map((c) => ({
      nodePath: c.node_path,
      deltas:
        c.concluded_at !== null
          ? { [MEDIATION_METRICS.concluded(localDate(c.concluded_at).slice(0, 7))]: 1 }
          : ['received', 'mediating', 'signing'].includes(c.status)
            ? { [MEDIATION_METRICS.open]: 1 }
            : {},
    })),
  );

  // Agreements in effect for a share of the agreed, each with its application for confirmation: most
  // confirmed, some refused, the latest still waiting (submitted or accepted).
  const agreed = await db
    .selectFrom('mediation_cases')
    .select(['id', 'concluded_at'])
    .where('status', '=', 'agreed')
    .where('dossier_seq', '>', 100_000)
    .orderBy('id')
    .execute();
  const chosen = agreed.filter(() => r() < CONFIRMED_SHARE);
  const pdf = Buffer.from('%PDF-1.7\n% bench placeholder: the statistics never read the file\n');
  const pdfSha = crypto.createHash('sha256').update(pdf).digest('hex');
  for (let i = 0; i < chosen.length; i += 500)
    await db
      .insertInto('mediation_agreements')
      .values(
        chosen.slice(i, i + 500).map((c) => ({
          case_id: c.id,
          status: 'in_effect' as const,
          content: '{"facts":"","disputedPoints":"","obligations":[],"otherTerms":null}',
          content_sha256: hex(32),
          pdf,
          pdf_sha256: pdfSha,
          created_by_user_id: o.adminId,
          created_at: before(c.concluded_at!, 1),
          effective_at: c.concluded_at,
        })),
      )
      .execute();
  const agreements = await db
    .selectFrom('mediation_agreements')
    .select(['id', 'effective_at'])
    .where('status', '=', 'in_effect')
    .orderBy('id')
    .execute();
  const confirmations = agreements.map((a) => {
    const submitted = new Date(Date.parse(a.effective_at!) + (1 + r() * 10) * 86_400_000).toISOString();
    const decided = new Date(Date.parse(submitted) + (3 + r() * 12) * 86_400_000).toISOString();
    const open = decided > now;
    const status: ConfirmationState = open
      ? r() < 0.5
        ? 'submitted'
        : 'accepted'
      : r() < 0.9
        ? 'confirmed'
        : 'refused';
    return {
      agreement_id: a.id,
      court_id: o.courtId,
      status,
      materials: JSON.stringify(['application_form', 'agreement', 'identity_documents']),
      warnings: '[]',
      submitted_at: submitted > now ? now : submitted,
      accept_by: addDays(localDate(submitted > now ? now : submitted), 3),
      ruling: open ? null : status === 'confirmed' ? '调解协议符合司法确认条件，确认有效。' : '不予确认。',
      decided_by_user_id: open ? null : o.judgeId,
      decided_at: open ? null : decided,
    };
  });
  for (let i = 0; i < confirmations.length; i += 500)
    await db
      .insertInto('mediation_confirmations')
      .values(confirmations.slice(i, i + 500))
      .execute();
  return { agreements: agreements.length, confirmations: confirmations.length };
}

// ------------------------------------------------------------------------------------------------
// The statistics, checked and explained.

interface CaseLine {
  node_path: string;
  dispute_type: string;
  status: string;
  received_at: string;
  concluded_at: string | null;
}
interface ConfLine {
  node_path: string;
  dispute_type: string;
  status: string;
  decided_at: string | null;
}
type Counts = Pick<
  StatsFigures,
  'received' | 'concluded' | 'agreements' | 'failures' | 'withdrawals' | 'confirmationsDecided' | 'confirmed'
>;
const COUNT_KEYS: (keyof Counts)[] = [
  'received',
  'concluded',
  'agreements',
  'failures',
  'withdrawals',
  'confirmationsDecided',
  'confirmed',
];

/** The figures the long way: every row fetched and counted in JavaScript (docs/mediation-statistics.md). */
function countInJs(cases: CaseLine[], confs: ConfLine[], under: string, from: string, to: string) {
  const zero = (): Counts => ({
    received: 0,
    concluded: 0,
    agreements: 0,
    failures: 0,
    withdrawals: 0,
    confirmationsDecided: 0,
    confirmed: 0,
  });
  const out = new Map<string, Counts>();
  const of = (path: string, type: string) => {
    const k = `${path}|${type}`;
    let c = out.get(k);
    if (!c) out.set(k, (c = zero()));
    return c;
  };
  const inside = (p: string) => p.startsWith(under);
  for (const c of cases) {
    if (!inside(c.node_path)) continue;
    const f = of(c.node_path, c.dispute_type);
    if (c.received_at >= from && c.received_at < to) f.received++;
    if (c.concluded_at !== null && c.concluded_at >= from && c.concluded_at < to) {
      if (c.status === 'agreed') f.agreements++;
      if (c.status === 'failed') f.failures++;
      if (c.status === 'withdrawn') f.withdrawals++;
      if (['agreed', 'failed', 'withdrawn'].includes(c.status)) f.concluded++;
    }
  }
  for (const k of confs) {
    if (!inside(k.node_path) || k.decided_at === null || k.decided_at < from || k.decided_at >= to) continue;
    if (k.status !== 'confirmed' && k.status !== 'refused') continue;
    const f = of(k.node_path, k.dispute_type);
    f.confirmationsDecided++;
    if (k.status === 'confirmed') f.confirmed++;
  }
  return out;
}

/** Whether the service's answer matches the long count: in total, per child and per dispute type. */
function sameAsCount(
  s: StatsView,
  counted: Map<string, Counts>,
  children: { id: number; path: string }[],
  log: (s: string) => void,
): boolean {
  const sum = (keep: (path: string, type: string) => boolean) => {
    const t = Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as Counts;
    for (const [key, c] of counted) {
      const [path, type] = key.split('|') as [string, string];
      if (keep(path, type)) for (const k of COUNT_KEYS) t[k] += c[k];
    }
    return t;
  };
  const differs = (label: string, got: StatsFigures, want: Counts) => {
    const bad = COUNT_KEYS.filter((k) => got[k] !== want[k]);
    if (bad.length) log(`  ${label}: ${bad.map((k) => `${k} ${got[k]} ≠ ${want[k]}`).join(', ')}`);
    return bad.length > 0;
  };
  let ok = !differs(
    'total',
    s.figures,
    sum(() => true),
  );
  for (const c of s.children) {
    const child = children.find((x) => x.id === c.node.id)!;
    if (
      differs(
        `child ${c.node.name}`,
        c.figures,
        sum((p) => p.startsWith(child.path)),
      )
    )
      ok = false;
  }
  for (const b of s.byType)
    if (
      differs(
        `type ${b.disputeType}`,
        b.figures,
        sum((_, t) => t === b.disputeType),
      )
    )
      ok = false;
  return ok;
}

/** Each answer against the long count over every case and confirmation row, fetched once. */
async function checkStats(
  db: DB,
  log: (s: string) => void,
  checks: { label: string; node: Place; ms: Summary; answer: StatsView }[],
): Promise<StatsFiguresOf[]> {
  const cases = (await db
    .selectFrom('mediation_cases')
    .select(['node_path', 'dispute_type', 'status', 'received_at', 'concluded_at'])
    .execute()) as CaseLine[];
  const confs = (await db
    .selectFrom('mediation_confirmations as k')
    .innerJoin('mediation_agreements as a', 'a.id', 'k.agreement_id')
    .innerJoin('mediation_cases as c', 'c.id', 'a.case_id')
    .select(['c.node_path', 'c.dispute_type', 'k.status', 'k.decided_at'])
    .execute()) as ConfLine[];
  const out: StatsFiguresOf[] = [];
  for (const { label, node, ms, answer: s } of checks) {
    const from = new Date(`${s.from}T00:00:00+08:00`).toISOString();
    const to = new Date(`${addDays(s.to, 1)}T00:00:00+08:00`).toISOString();
    const children = await db
      .selectFrom('nodes')
      .select(['id', 'path'])
      .where('parent_id', '=', node.id)
      .execute();
    const same =
      s.node.id === node.id && sameAsCount(s, countInJs(cases, confs, node.path, from, to), children, log);
    if (!same) log(`  ${label}: the statistics and the count in JavaScript disagree`);
    out.push({
      node: node.name,
      ms,
      same,
      received: s.figures.received,
      concluded: s.figures.concluded,
      decided: s.figures.confirmationsDecided,
    });
  }
  return out;
}

const labelOf = (q: string) =>
  /child_count|^select \* from "nodes"/.test(q)
    ? 'node'
    : /mediation_confirmations/.test(q)
      ? 'confirmations'
      : /"c"\."received_at" >=/.test(q)
        ? 'received'
        : /concluded_at/.test(q)
          ? 'concluded'
          : /parent_id/.test(q)
            ? 'children'
            : 'other';

/** Each statement a stats call sends, timed on its own and planned (bench/targets.ts). */
function explainStatements(
  database: Opened['database'],
  pii: ReturnType<typeof createPiiCipher>,
  ctx: Ctx,
  q: Parameters<MediationService['stats']>[1],
  log: (s: string) => void,
): Promise<StatementFigures[]> {
  return explainCall(
    database,
    (db) => createMediationService({ db, pii }).stats(ctx, q),
    labelOf,
    log,
    N.statement,
  );
}

// ------------------------------------------------------------------------------------------------
// The agreement PDFs.

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁';
const GIVEN = '建国 志强 秀兰 海燕 卫东 文斌 丽萍 春华 思远 德明 立新 红梅'.split(' ');

/** A valid ID number for the n-th party (born 1960–1999, 临安's region code). */
function idNumber(n: number): string {
  const first17 = `330112${1960 + (n % 40)}${String(1 + (n % 12)).padStart(2, '0')}${String(
    1 + (n % 28),
  ).padStart(2, '0')}${String(100 + (n % 900)).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

/** The case as the service answers it, turned into the document the draft renders (as the service builds it). */
function documentOf(
  v: Awaited<ReturnType<MediationService['view']>>,
  body: ReturnType<typeof draftAgreementBody.parse>,
  organisation: string,
  mediator: string,
): AgreementDocument {
  const names = new Map(v.parties.map((p) => [p.id, p.name]));
  const doc: Omit<AgreementDocument, 'contentSha256'> = {
    dossierNo: v.dossierNo,
    organisation,
    parties: v.parties.map((p) => ({
      side: p.side,
      kind: p.kind,
      name: p.name,
      idNumberMasked: p.idNumberMasked,
      agent: p.agent,
    })),
    facts: body.facts,
    disputedPoints: body.disputedPoints,
    obligations: body.obligations.map((o) => ({
      party: names.get(o.partyId)!,
      what: o.what,
      amountYuan: o.amountYuan === null ? null : o.amountYuan.toFixed(2),
      manner: o.manner,
      deadline: o.deadline,
    })),
    otherTerms: body.otherTerms,
    mediator,
    draftedAt: nowIso(),
  };
  return { ...doc, contentSha256: agreementContentHash(doc) };
}

/**
 * A case at `nodeId` taken in, every party's consent recorded and the mediator designated, through
 * the service as the mediator; then drafts of `body(parties)`, each revised back to 'mediating'.
 */
async function measurePdf(o: {
  db: DB;
  svc: MediationService;
  mediator: Ctx;
  mediatorId: number;
  mediatorName: string;
  nodeId: number;
  parties: ReturnType<typeof createCaseBody.parse>['parties'];
  disputeType: DisputeType;
  facts: string;
  amountYuan: number | null;
  body: (v: Awaited<ReturnType<MediationService['view']>>) => unknown;
  log: (s: string) => void;
}): Promise<PdfFigures> {
  const { db, svc, mediator } = o;
  const created = await svc.create(
    mediator,
    createCaseBody.parse({
      nodeId: o.nodeId,
      source: 'application',
      disputeType: o.disputeType,
      facts: o.facts,
      claims: '请求调解。',
      amountYuan: o.amountYuan,
      parties: o.parties,
    }),
  );
  for (const p of created.parties)
    await svc.consent(mediator, created.id, { partyId: p.id, consent: 'yes', online: true });
  const v = await svc.assign(mediator, created.id, { mediatorId: o.mediatorId, chosenByParties: false });
  if (v.status !== 'mediating') throw new Error(`the case is ${v.status}, not mediating`);
  const body = draftAgreementBody.parse(o.body(v));
  const org = await db
    .selectFrom('mediation_cases as c')
    .innerJoin('mediation_orgs as g', 'g.id', 'c.org_id')
    .select('g.name')
    .where('c.id', '=', v.id)
    .executeTakeFirstOrThrow();

  // The draft, as POST /api/mediation/cases/:id/agreement runs it; the revision back is not timed.
  const draft = async () => {
    const t0 = performance.now();
    const d = await svc.draftAgreement(mediator, v.id, body);
    const ms = performance.now() - t0;
    if (d.status !== 'signing') throw new Error(`the draft is ${d.status}, not signing`);
    await svc.revise(mediator, v.id);
    return { ms, agreementId: d.id };
  };
  const firstDraft = await draft();
  for (let i = 1; i < N.pdfWarmup; i++) await draft();
  const draftSamples: number[] = [];
  let last = firstDraft.agreementId;
  for (let i = 0; i < N.pdf; i++) {
    const d = await draft();
    draftSamples.push(d.ms);
    last = d.agreementId;
  }
  const stored = await db
    .selectFrom('mediation_agreements')
    .select(['pdf', 'pdf_sha256'])
    .where('id', '=', last)
    .executeTakeFirstOrThrow();
  const bytes = Buffer.from(stored.pdf);
  if (crypto.createHash('sha256').update(bytes).digest('hex') !== stored.pdf_sha256)
    throw new Error('the stored PDF does not match its hash');
  const pages = (await PDFDocument.load(bytes)).getPageCount();

  // The bare rendering of the same document.
  const doc = documentOf(v, body, org.name, o.mediatorName);
  const renderMs = summarize(await sample(N.pdf, N.pdfWarmup, () => renderAgreementPdf(doc)));
  const bare = await renderAgreementPdf(doc);
  const barePages = (await PDFDocument.load(bare)).getPageCount();
  if (barePages !== pages) o.log(`  the bare rendering has ${barePages} pages, the draft ${pages}`);
  const figures = {
    pages,
    bytes: bytes.length,
    parties: v.parties.length,
    obligations: body.obligations.length,
    firstDraftMs: Math.round(firstDraft.ms * 10) / 10,
    draftMs: summarize(draftSamples),
    renderMs,
  };
  o.log(
    `  ${v.parties.length} parties, ${body.obligations.length} obligations: ${pages} pages, ${Math.round(
      bytes.length / 1024,
    )} kB; draft p95 ${figures.draftMs.p95} ms, render p95 ${renderMs.p95} ms (first draft ${figures.firstDraftMs} ms)`,
  );
  return figures;
}

// ------------------------------------------------------------------------------------------------

async function measure(open: () => Promise<Opened>, log: (s: string) => void): Promise<TargetResult> {
  const loadStart = load();
  const rssStart = rssMb();
  const opened = await open();
  const { database, cleanup, schema } = opened;
  const { db } = database;
  try {
    // The tree and the demo accounts (no residents: a case's parties are rows of its own).
    const t0 = performance.now();
    await migrateToLatest(db, schema);
    await ensureBuiltinRoles(db);
    await seedDemo(db, { scale: 'district', password: PASSWORD, events: false });
    const seedSeconds = Math.round((performance.now() - t0) / 100) / 10;
    const places = (await db
      .selectFrom('nodes')
      .select(['id', 'path', 'name', 'level', 'parent_id'])
      .where('level', 'in', ['district', 'town', 'village'])
      .orderBy('path')
      .execute()) as Place[];
    const nodes = Number(
      (
        await db
          .selectFrom('nodes')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    log(`  seeded the district's tree and accounts (${nodes} nodes) in ${seedSeconds} s`);
    const district = places.find((p) => p.level === 'district')!;
    const towns = places.filter((p) => p.level === 'town');
    const userId = async (username: string) =>
      (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow())
        .id;
    const ctxOf = async (username: string): Promise<Ctx> => {
      const actor = await loadActor(db, await userId(username), 'session');
      if (!actor) throw new Error(`${username} cannot act`);
      return { actor, requestId: `bench-mediation-${username}`, lang: 'zh-CN' };
    };

    // (load) Organisations, mediators, the year's cases and confirmations, written directly.
    const l0 = performance.now();
    const { committees, courtId } = await loadOrgs(db, places, district);
    const mediatorOfTown = await loadMediators(db, towns, committees);
    const loaded = await loadCases(db, {
      places,
      committees,
      mediatorOfTown,
      courtId,
      adminId: await userId('admin'),
      judgeId: await userId('judge'),
      log,
    });
    // The statistics' daily figures the service keeps in each change's transaction, rebuilt from
    // the rows written directly.
    log(`  rebuilt ${await rebuildMediationStats(db)} daily figures`);
    if (database.dialect === 'postgres')
      await sql`vacuum (analyze) mediation_orgs, mediators, mediation_cases, mediation_agreements, mediation_confirmations, mediation_stats_daily`.execute(
        db,
      );
    const loadSeconds = Math.round((performance.now() - l0) / 100) / 10;
    log(
      `  loaded ${CASES} concluded and ${OTHER_CASES} other cases, ${loaded.confirmations} confirmations in ${loadSeconds} s`,
    );
    const afterLoad = rssMb();
    const heapAfterLoad = mb(process.memoryUsage().heapUsed);
    const loadAfterLoad = load();

    // (2) Statistics: the district's commander, the town commander (their town), a village by node.
    const pii = createPiiCipher(crypto.randomBytes(32));
    const svc = createMediationService({ db, pii });
    const commander = await ctxOf('commander');
    const townCommander = await ctxOf('towncmd');
    const town = towns.find((t) => t.name === COMMANDER_TOWN)!;
    const villages = places.filter((p) => p.level === 'village');
    const village = villages[prng(7)(villages.length)]!;
    const statsOf = async (label: string, ctx: Ctx, q: { node?: number }) => {
      const ms = summarize(await sample(N.stats, N.statsWarmup, () => svc.stats(ctx, q)));
      log(`  stats ${label}: p50 ${ms.p50} ms, p95 ${ms.p95} ms, max ${ms.max} ms`);
      return { ms, answer: await svc.stats(ctx, q) };
    };
    const d = await statsOf('district', commander, {});
    const tw = await statsOf(`town ${town.name}`, townCommander, {});
    const vl = await statsOf(`village ${village.name}`, commander, { node: village.id });
    const afterStats = rssMb();
    const loadAfterStats = load();
    log('  the district statistics, statement by statement:');
    const districtStatements = await explainStatements(database, pii, commander, {}, log);
    log(`  the village's (${village.name}):`);
    const villageStatements = await explainStatements(database, pii, commander, { node: village.id }, log);
    // The answers checked (after the RSS was read: the count holds every row in this process).
    const [district$, town$, village$] = await checkStats(db, log, [
      { label: 'district', node: district, ...d },
      { label: town.name, node: town, ...tw },
      { label: village.name, node: village, ...vl },
    ]);
    // The district's concluded counters for the months of the period: kept apart from the cases.
    const toDay = d.answer.to;
    const months = Array.from(
      { length: Number(toDay.slice(5, 7)) },
      (_, i) => `${toDay.slice(0, 4)}-${String(i + 1).padStart(2, '0')}`,
    );
    const counters = Number(
      (
        await db
          .selectFrom('live_counters')
          .select((eb) => eb.fn.sum<number>('value').as('n'))
          .where('command_id', '=', 0)
          .where('node_path', '=', district.path)
          .where('metric', 'in', months.map(MEDIATION_METRICS.concluded))
          .executeTakeFirstOrThrow()
      ).n ?? 0,
    );
    if (counters !== d.answer.figures.concluded)
      log(
        `  the district's counters say ${counters} concluded, the statistics ${d.answer.figures.concluded}`,
      );

    // (1) The agreement PDFs, drafted by the demo mediator (於潜镇's committee) on cases of its villages.
    const mediator = await ctxOf('mediator');
    const mediatorTown = towns.find((t) => t.name === MEDIATOR_TOWN)!;
    const mediatorRow = await db
      .insertInto('mediators')
      .values({
        user_id: mediator.actor!.userId,
        org_id: committees.get(mediatorTown.id)!,
        specialties: JSON.stringify(['neighbour', 'labour_wages', 'contract']),
        qualification: '人民调解员（三级）',
        profile: null,
        created_at: nowIso(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const mediatorName = (
      await db
        .selectFrom('users')
        .select('display_name')
        .where('id', '=', mediator.actor!.userId)
        .executeTakeFirstOrThrow()
    ).display_name;
    const [yqVillage] = places.filter((p) => p.parent_id === mediatorTown.id);
    const today = localDate(nowIso());
    const common = {
      db,
      svc,
      mediator,
      mediatorId: mediatorRow.id,
      mediatorName,
      nodeId: yqVillage!.id,
      log,
    };
    log('  the two-page agreement:');
    const twoPage = await measurePdf({
      ...common,
      parties: createCaseBody.shape.parties.parse([
        { side: 'applicant', name: '张建国', idNumber: idNumber(1), phone: '13957000001' },
        { side: 'respondent', name: '李秀英', idNumber: idNumber(2), agent: '李明（女儿）' },
      ]),
      disputeType: 'neighbour',
      facts: '被申请人加盖彩钢棚，雨水排入申请人院内。',
      amountYuan: 8_000,
      body: (v) => {
        const [a, r] = v.parties;
        return {
          facts: Array.from(
            { length: 4 },
            (_, i) =>
              `${'一二三四'[i]}、申请人与被申请人系前后邻居。2026年2月，被申请人在自家院落东侧加盖彩钢棚，雨水沿棚顶排入申请人院内，致申请人厨房外墙渗水、墙面霉变，双方多次协商未果，申请人于2026年3月2日向本委员会申请调解。`,
          ).join('\n'),
          disputedPoints:
            '一、被申请人加盖彩钢棚的排水是否造成申请人损失；二、损失的赔偿金额及排水改造方式；三、今后相邻通行与采光的约定。',
          obligations: Array.from({ length: 10 }, (_, i) => ({
            partyId: i % 2 ? a!.id : r!.id,
            what: `拆除彩钢棚东侧排水檐沟并改为向自家院内排水（第${i + 1}项），施工期间不得占用对方通道，施工结束后清理现场建筑垃圾`,
            amountYuan: i % 3 === 0 ? 3_200 + i * 100 : null,
            manner: '自行施工，对方到场确认',
            deadline: addDays(today, 30 + i),
          })),
          otherTerms: '双方就本纠纷再无其他争议。本协议履行完毕后，双方互不追究。',
        };
      },
    });
    log(`  the ${CLAIMANTS} claimants' wage agreement:`);
    const names: string[] = [];
    for (const g of GIVEN) for (const s of SURNAMES) if (names.length < CLAIMANTS) names.push(s + g);
    const wage = await measurePdf({
      ...common,
      parties: createCaseBody.shape.parties.parse([
        ...names.map((name, i) => ({
          side: 'applicant',
          name,
          idNumber: idNumber(100 + i),
          agent: i % 10 === 0 ? '浙江某某律师事务所陈律师' : null,
        })),
        { side: 'respondent', kind: 'org', name: '临安於潜竹木制品有限公司', agent: '赵经理' },
      ]),
      disputeType: 'labour_wages',
      facts: `申请人${CLAIMANTS}人系被申请人竹木加工厂工人，被申请人拖欠2025年9月至12月工资。`,
      amountYuan: 1_386_000,
      body: (v) => {
        const company = v.parties.find((p) => p.side === 'respondent')!;
        return {
          facts: `被申请人拖欠申请人${CLAIMANTS}人2025年9月至12月工资共计人民币1,386,000元，双方对金额无异议。`,
          disputedPoints: '拖欠工资的支付期限与方式。',
          obligations: v.parties
            .filter((p) => p.side === 'applicant')
            .map((p, i) => ({
              partyId: company.id,
              what: `向${p.name}支付2025年9月至12月拖欠工资`,
              amountYuan: 18_000 + i * 137,
              manner: '银行转账至本人工资卡',
              deadline: addDays(today, i % 2 === 0 ? 15 : 30),
            })),
          otherTerms: '被申请人逾期未付的，申请人可就未付部分申请强制执行。',
        };
      },
    });
    const afterPdf = rssMb();
    const heapAfterPdf = mb(process.memoryUsage().heapUsed);
    return {
      nodes,
      seedSeconds,
      loadSeconds,
      loaded: {
        concluded: CASES,
        other: OTHER_CASES,
        agreements: loaded.agreements,
        confirmations: loaded.confirmations,
        committees: committees.size,
      },
      stats: {
        district: district$!,
        town: town$!,
        village: village$!,
        period: `${d.answer.from}..${d.answer.to}`,
        countersConcluded: counters,
      },
      statements: { district: districtStatements, village: villageStatements },
      pdf: { twoPage, wage },
      rssMb: { start: rssStart, afterLoad, afterStats, afterPdf },
      heapMb: {
        afterLoad: heapAfterLoad,
        afterPdf: heapAfterPdf,
        liveAfterPdf: liveHeapMb(),
        externalAfterPdf: mb(process.memoryUsage().external),
      },
      loadAverage: { start: loadStart, afterLoad: loadAfterLoad, afterStats: loadAfterStats, end: load() },
    };
  } finally {
    await cleanup();
  }
}

const three = (s: Summary) => `${s.p50.toFixed(1)} / ${s.p95.toFixed(1)} / ${s.max.toFixed(1)}`;
const verdict = (s: Summary, goal: number) => (s.p95 <= goal ? '(met)' : '(missed)');
const statement = (r: TargetResult, which: 'district' | 'village', label: string) => {
  const s = r.statements[which].find((x) => x.label === label);
  return s ? `${s.ms.p50.toFixed(2)} (${s.kind})` : '—';
};

export const mediation: Workload = {
  summary:
    'joint mediation: the agreement PDF (two pages; 77 claimants) drafted through the service and rendered bare; the district’s statistics over a year of 20,000 concluded cases for the commander, a town and a village, checked against a full count, statement by statement with plans; RSS (SQLite, and PostgreSQL when reachable)',
  usage:
    '[--pg | --no-pg | --no-sqlite]   (env BENCH_MEDIATION_CASES overrides the 20,000 concluded cases, BENCH_MEDIATION_OTHER the 1,000 not concluded)',
  async run(args, log) {
    return runSideBySide(
      'mediation',
      args,
      log,
      measure,
      [
        ['nodes; seed of the tree and accounts, s', (r) => `${cell.count(r.nodes)}; ${r.seedSeconds}`],
        [
          'cases loaded: concluded + other; confirmations; load s',
          (r) =>
            `${cell.count(r.loaded.concluded)} + ${cell.count(r.loaded.other)}; ${cell.count(r.loaded.confirmations)}; ${r.loadSeconds}`,
        ],
        [
          '(1a) two-party agreement: pages, kB, obligations',
          (r) =>
            `${r.pdf.twoPage.pages}, ${Math.round(r.pdf.twoPage.bytes / 1024)}, ${r.pdf.twoPage.obligations}`,
        ],
        [
          `     draftAgreement p50 / p95 / max, ms (goal p95 ≤ ${GOAL.twoPageP95Ms})`,
          (r) => `${three(r.pdf.twoPage.draftMs)} ${verdict(r.pdf.twoPage.draftMs, GOAL.twoPageP95Ms)}`,
        ],
        [
          '     renderAgreementPdf p50 / p95 / max, ms',
          (r) => `${three(r.pdf.twoPage.renderMs)} ${verdict(r.pdf.twoPage.renderMs, GOAL.twoPageP95Ms)}`,
        ],
        ['     first draft of the run, ms', (r) => r.pdf.twoPage.firstDraftMs.toFixed(1)],
        [
          `(1b) ${CLAIMANTS} claimants' wage agreement: pages, kB, obligations`,
          (r) => `${r.pdf.wage.pages}, ${Math.round(r.pdf.wage.bytes / 1024)}, ${r.pdf.wage.obligations}`,
        ],
        [
          `     draftAgreement p50 / p95 / max, ms (goal p95 ≤ ${GOAL.wageP95Ms})`,
          (r) => `${three(r.pdf.wage.draftMs)} ${verdict(r.pdf.wage.draftMs, GOAL.wageP95Ms)}`,
        ],
        [
          '     renderAgreementPdf p50 / p95 / max, ms',
          (r) => `${three(r.pdf.wage.renderMs)} ${verdict(r.pdf.wage.renderMs, GOAL.wageP95Ms)}`,
        ],
        [
          `(2) stats, district's commander p50 / p95 / max, ms (goal p95 ≤ ${GOAL.statsP95Ms})`,
          (r) => `${three(r.stats.district.ms)} ${verdict(r.stats.district.ms, GOAL.statsP95Ms)}`,
        ],
        [
          `    town commander (${COMMANDER_TOWN}) p50 / p95 / max, ms`,
          (r) => `${three(r.stats.town.ms)} ${verdict(r.stats.town.ms, GOAL.statsP95Ms)}`,
        ],
        [
          '    node = a village p50 / p95 / max, ms',
          (r) => `${three(r.stats.village.ms)} ${verdict(r.stats.village.ms, GOAL.statsP95Ms)}`,
        ],
        [
          '    same as a full count and the counters (district received, concluded, decided)',
          (r) =>
            r.stats.district.same &&
            r.stats.town.same &&
            r.stats.village.same &&
            r.stats.countersConcluded === r.stats.district.concluded
              ? `yes (${cell.count(r.stats.district.received)}, ${cell.count(r.stats.district.concluded)}, ${cell.count(r.stats.district.decided)})`
              : 'NO',
        ],
        ['    district: concluded query p50, ms (plan)', (r) => statement(r, 'district', 'concluded')],
        ['    district: received query p50, ms (plan)', (r) => statement(r, 'district', 'received')],
        [
          '    district: confirmations query p50, ms (plan)',
          (r) => statement(r, 'district', 'confirmations'),
        ],
        [
          '    district: the statements p50 summed / the call p50, ms',
          (r) =>
            `${r.statements.district.reduce((a, x) => a + x.ms.p50, 0).toFixed(1)} / ${r.stats.district.ms.p50.toFixed(1)}`,
        ],
        ['    village: concluded query p50, ms (plan)', (r) => statement(r, 'village', 'concluded')],
        [
          '(3) RSS at start / after load / after stats / after PDFs, MB',
          (r) => `${r.rssMb.start} / ${r.rssMb.afterLoad} / ${r.rssMb.afterStats} / ${r.rssMb.afterPdf}`,
        ],
        [
          '    V8 heap used after load / after PDFs (live after a GC); external, MB',
          (r) =>
            `${r.heapMb.afterLoad} / ${r.heapMb.afterPdf} (${r.heapMb.liveAfterPdf}); ${r.heapMb.externalAfterPdf}`,
        ],
        [
          'load average (1 min): start, after load, after stats, end',
          (r) =>
            [r.loadAverage.start, r.loadAverage.afterLoad, r.loadAverage.afterStats, r.loadAverage.end]
              .map((l) => l[0]!.toFixed(1))
              .join(', '),
        ],
      ],
      {
        concludedCases: CASES,
        otherCases: OTHER_CASES,
        pdfRuns: N.pdf,
        pdfWarmup: N.pdfWarmup,
        statsRuns: N.stats,
        statsWarmup: N.statsWarmup,
        statementRuns: N.statement,
      },
    );
  },
};
