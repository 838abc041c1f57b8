// Psychological care (心理关爱, 山花帮帮团): a counsellor, a grid worker or a village cadre sends a
// person in home observation (or on the care roster, or of a counsellor's caseload) a one-time link
// to a scale; the person fills it on their phone without an account, the page keeping the answers as
// they go; submitting scores it. A crisis rule (PHQ-9 item 9 at 1 or more, or a total in the top band)
// raises an urgent alert for the nearest on-duty counsellors, live, escalating to the place above if
// nobody acknowledges it within 30 minutes. Counsellors keep caseloads: contacts, risk, next contact,
// referral, closing. Answers, drafts, notes and referrals are health data: encrypted at rest, read
// only by counsellors in scope (counselling.read), every read of answers audited, never in the log.
import { randomBytes } from 'node:crypto';
import {
  checkAnswers,
  checkDefinition,
  scoreAnswers,
  SHIPPED_SCALES,
  totalRange,
  type CrisisReason,
  type ScaleAnswers,
  type ScaleDefinition,
  type ScaleIssue,
} from '../../../common/care-scales.js';
import {
  ALERT_ACK_MINUTES,
  SCALE_LINK_DEFAULT_HOURS,
  type AlertView,
  type CarePerson,
  type CaseSummary,
  type CaseView,
  type ContactBody,
  type CreateScaleBody,
  type LinkView,
  type ReferralKind,
  type ResponseView,
  type ScaleView,
} from '../../../common/contracts/care.js';
import { showCount } from '../../../common/contracts/shared.js';
import { msg } from '../../../common/messages/index.js';
import { ancestorPaths } from '../../../common/tree.js';
import { localDate } from '../../../common/worktime.js';
import type { DB, Executor } from '../../db/index.js';
import { isUniqueViolation, nowIso } from '../../db/index.js';
import {
  actorOf,
  assertDistrictWide,
  can,
  scopesFor,
  type Actor,
  type RequestContext,
} from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { sha256 } from '../../platform/crypto.js';
import {
  appError,
  conflict,
  forbidden,
  notFound,
  validationFailed,
  type ProblemIssue,
} from '../../platform/errors.js';
import { bumpCounters, recordLive, type LivePoke } from '../../platform/live.js';
import type { PiiCipher } from '../../platform/pii.js';
import { listNode } from '../nodes/index.js';
import { notify, usersAssignedAt } from '../notifications/index.js';
import { questionnaireOf, responseBundleOf, type FhirScale } from './care-fhir.js';
import * as repo from './care.repository.js';

/** The cockpit's counters (live_counters metrics), per the person's node path. */
export const CARE_METRICS = {
  /** Urgent alerts not yet acknowledged. */
  alertsOpen: 'care.alerts.open',
  /** Scales filled, per local month. */
  submitted: (month: string) => `care.submitted.${month}`,
  /** Of those, the ones a crisis rule flagged. */
  crisis: (month: string) => `care.crisis.${month}`,
} as const;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const LIST_LIMIT = 200;
const newToken = () => randomBytes(32).toString('base64url');
const plusMs = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** The shipped scales are in the database as rows (responses refer to them), kept equal to the code. */
export async function ensureShippedScales(db: DB): Promise<void> {
  const at = nowIso();
  for (const s of SHIPPED_SCALES) {
    const row = {
      title_zh: s.title.zh,
      title_en: s.title.en,
      loinc: s.loinc,
      total_loinc: s.totalLoinc,
      definition: JSON.stringify(s.definition),
    };
    const have = await repo.scaleByCode(db, s.code);
    if (!have)
      await repo
        .insertScale(db, { code: s.code, ...row, builtin: 1, created_by: null, created_at: at })
        .catch((e: unknown) => {
          // Two processes starting at once: the other inserted it.
          if (!isUniqueViolation(e)) throw e;
        });
    else if (have.definition !== row.definition || have.title_zh !== row.title_zh)
      await repo.updateScale(db, have.id, row);
  }
}

type ScaleRow = NonNullable<Awaited<ReturnType<typeof repo.scaleByCode>>>;
const definitionOf = (s: ScaleRow) => JSON.parse(s.definition) as ScaleDefinition;
const fhirScaleOf = (s: ScaleRow): FhirScale => ({
  code: s.code,
  title: { zh: s.title_zh, en: s.title_en },
  loinc: s.loinc,
  totalLoinc: s.total_loinc,
  definition: definitionOf(s),
});
function scaleView(s: ScaleRow): ScaleView {
  const definition = definitionOf(s);
  return {
    code: s.code,
    title: { zh: s.title_zh, en: s.title_en },
    loinc: s.loinc,
    totalLoinc: s.total_loinc,
    builtin: s.builtin === 1,
    itemCount: definition.items.length,
    maxTotal: totalRange(definition).max,
    definition,
  };
}
const issuesOf = (issues: ScaleIssue[], prefix: string[] = []): ProblemIssue[] =>
  issues.map((i) => ({
    path: [...prefix, ...i.path].join('.'),
    code: i.code,
    message: { code: i.code, ...(i.params ? { params: i.params } : {}) } as ProblemIssue['message'],
  }));

/** "王小明" → "王*明", "李雷" → "李*": enough for a person to know the page is theirs. */
function greetingName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

export function createCareService(deps: { db: DB; pii: PiiCipher; live?: LivePoke; now?: () => string }) {
  const { db, pii } = deps;
  const now = deps.now ?? nowIso;
  const poke = () => deps.live?.poke();

  async function audit(
    trx: Executor,
    ctx: RequestContext,
    a: {
      action: string;
      entityType: string;
      entityId: number;
      nodePath: string;
      detail?: Record<string, unknown>;
    },
    live = true,
  ) {
    if (live) await recordLive(trx, { kind: a.action, paths: [a.nodePath], payload: { id: a.entityId } });
    await recordAudit(trx, ctx, {
      action: a.action,
      entityType: a.entityType,
      entityId: a.entityId,
      nodePath: a.nodePath,
      ...(a.detail ? { detail: a.detail } : {}),
    });
  }

  async function scaleOr404(x: Executor, code: string) {
    const s = await repo.scaleByCode(x, code);
    if (!s) throw notFound('scale');
    return s;
  }

  const personRef = (r: {
    person_id: number;
    person_name: string;
    id_number_masked: string | null;
    phone_masked: string | null;
  }) => ({
    id: r.person_id,
    name: r.person_name,
    idNumberMasked: r.id_number_masked,
    phoneMasked: r.phone_masked,
  });

  /**
   * Whom the actor may send a scale to or open a case for: the person's place is within their
   * scales.send (or counselling.work) scope, and the person is in home observation, on the care
   * roster, or already reached by them. Anything else answers as if the person did not exist.
   */
  async function reachable(
    x: Executor,
    actor: Actor,
    personId: number,
    permission: 'scales.send' | 'counselling.work',
  ) {
    const p = await repo.person(x, personId);
    if (!p || !can(actor, permission, p.node_path)) throw notFound('care_person');
    if (!(await repo.onCareList(x, p.id)) && !(await repo.reachedBy(x, p.id, actor.userId)))
      throw notFound('care_person');
    return p;
  }

  // ---------------------------------------------------------------- links and the public page
  async function linkOf(x: Executor, token: string) {
    const l = await repo.linkByHash(x, sha256(token));
    if (!l) throw notFound('scale_link');
    if (l.used_at) throw appError(410, 'care.link_used');
    if (l.expires_at <= now()) throw appError(410, 'care.link_expired');
    return l;
  }
  function answersIssues(def: ScaleDefinition, answers: ScaleAnswers, complete: boolean) {
    const issues = checkAnswers(def, answers, complete);
    if (issues.length > 0) throw validationFailed(issuesOf(issues, ['body']));
  }

  // ---------------------------------------------------------------- alerts
  function reasonsTriggers(def: ScaleDefinition, answers: ScaleAnswers, reasons: CrisisReason[]) {
    const keys = new Set(reasons.filter((r) => r.kind === 'item').map((r) => r.key));
    return answeredItems(def, answers).filter((i) => keys.has(i.key));
  }
  function answeredItems(def: ScaleDefinition, answers: ScaleAnswers) {
    return def.items.map((it, i) => {
      const v = answers[i] ?? null;
      const o = v === null ? undefined : (it.options ?? def.options).find((x) => x.value === v);
      return { key: it.key, label: it.label, value: v, answer: o ? o.label : null, scored: it.scored };
    });
  }

  async function alertView(actor: Actor, a: repo.AlertRow): Promise<AlertView> {
    let detail: AlertView['detail'] = null;
    if (can(actor, 'counselling.read', a.node_path)) {
      const r = await repo.response(db, a.response_id);
      if (r) {
        const s = await repo.scaleById(db, r.scale_id);
        const def = definitionOf(s);
        const answers = JSON.parse(pii.decrypt(r.answers_enc)) as ScaleAnswers;
        const reasons = JSON.parse(r.crisis) as CrisisReason[];
        const band = def.bands.find((b) => b.code === r.band);
        detail = {
          responseId: r.id,
          scale: s.code,
          total: r.total,
          band: { code: r.band, label: band?.label ?? { zh: r.band, en: r.band } },
          reasons,
          triggers: reasonsTriggers(def, answers, reasons),
        };
      }
    }
    return {
      id: a.id,
      person: personRef(a),
      node: { id: a.node_id, name: a.node_name },
      status: a.status,
      raisedAt: a.raised_at,
      ackBy: a.ack_by,
      escalatedAt: a.escalated_at,
      acknowledgedAt: a.acknowledged_at,
      acknowledgedBy:
        a.acknowledged_by !== null ? { id: a.acknowledged_by, name: a.acknowledged_by_name ?? '' } : null,
      caseId: a.case_id,
      detail,
      abilities: { acknowledge: a.status === 'open' && can(actor, 'counselling.work', a.node_path) },
    };
  }

  // ---------------------------------------------------------------- cases
  const decryptOr = (enc: string | null) => (enc ? pii.decrypt(enc) : '');
  function caseSummary(c: repo.CaseRow, openAlerts: number): CaseSummary {
    return {
      id: c.id,
      person: personRef(c),
      node: { id: c.node_id, name: c.node_name },
      counsellor: { id: c.counsellor_id, name: c.counsellor_name },
      status: c.status,
      risk: c.risk,
      nextContactOn: c.next_contact_on,
      lastContactAt: c.last_contact_at,
      openAlerts,
      openedAt: c.opened_at,
    };
  }
  async function caseOr403(x: Executor, actor: Actor, id: number) {
    const c = await repo.careCase(x, id);
    if (!c) throw notFound('care_case');
    if (!can(actor, 'counselling.read', c.node_path)) throw forbidden();
    return c;
  }
  async function caseView(actor: Actor, c: repo.CaseRow): Promise<CaseView> {
    const [contacts, responses, alerts] = await Promise.all([
      repo.contactsOf(db, c.id),
      repo.responsesOf(db, c.person_id),
      repo.openAlertsOf(db, c.person_id),
    ]);
    const scales = new Map<number, ScaleDefinition>();
    for (const r of responses)
      if (!scales.has(r.scale_id)) scales.set(r.scale_id, definitionOf(await repo.scaleById(db, r.scale_id)));
    const open = c.status !== 'closed';
    const works = open && can(actor, 'counselling.work', c.node_path);
    return {
      ...caseSummary(c, alerts.length),
      referral:
        c.referral_kind && c.referred_at
          ? { kind: c.referral_kind, note: decryptOr(c.referral_enc), at: c.referred_at }
          : null,
      closedAt: c.closed_at,
      contacts: contacts.map((k) => ({
        id: k.id,
        kind: k.kind,
        at: k.at,
        note: pii.decrypt(k.note_enc),
        by: { id: k.by_user_id, name: k.by_name },
      })),
      responses: responses.map((r) => {
        const band = scales.get(r.scale_id)!.bands.find((b) => b.code === r.band);
        return {
          id: r.id,
          scale: r.scale_code,
          total: r.total,
          band: { code: r.band, label: band?.label ?? { zh: r.band, en: r.band } },
          crisis: r.crisis !== '[]',
          submittedAt: r.submitted_at,
        };
      }),
      abilities: {
        contact: works,
        update: works,
        refer: works && c.status === 'open',
        close: works,
        sendScale: can(actor, 'scales.send', c.node_path),
      },
    };
  }
  async function changeCase(
    ctx: RequestContext,
    id: number,
    step: (
      trx: Executor,
      c: repo.CaseRow,
      actor: Actor,
      at: string,
    ) => Promise<{ action: string; detail?: Record<string, unknown> }>,
  ) {
    const actor = actorOf(ctx);
    await db.transaction().execute(async (trx) => {
      const c = await caseOr403(trx, actor, id);
      if (!can(actor, 'counselling.work', c.node_path)) throw forbidden();
      if (c.status === 'closed') throw conflict('care.case_closed');
      const at = now();
      const a = await step(trx, c, actor, at);
      await audit(trx, ctx, {
        action: a.action,
        entityType: 'care_case',
        entityId: c.id,
        nodePath: c.node_path,
        ...(a.detail ? { detail: a.detail } : {}),
      });
    });
    poke();
    return caseView(actor, (await repo.careCase(db, id))!);
  }
  async function openCaseIn(
    trx: Executor,
    ctx: RequestContext,
    p: repo.PersonRow,
    counsellorId: number,
    risk: 'low' | 'high',
    at: string,
  ) {
    const existing = await repo.openCaseOf(trx, p.id);
    if (existing) {
      // A crisis for someone already followed: at least high risk, and a contact due today.
      if (risk === 'high') {
        const c = (await repo.careCase(trx, existing.id))!;
        const today = localDate(at);
        await repo.updateCase(trx, c.id, {
          ...(c.risk === 'low' || c.risk === 'moderate' ? { risk: 'high' as const } : {}),
          ...(c.next_contact_on === null || c.next_contact_on > today ? { next_contact_on: today } : {}),
        });
      }
      return existing.id;
    }
    const id = await repo.insertCase(trx, {
      person_id: p.id,
      node_id: p.node_id,
      node_path: p.node_path,
      counsellor_id: counsellorId,
      status: 'open',
      risk,
      next_contact_on: localDate(at),
      last_contact_at: null,
      referral_kind: null,
      referral_enc: null,
      referred_at: null,
      close_note_enc: null,
      opened_at: at,
      closed_at: null,
    });
    await audit(trx, ctx, {
      action: 'care.case.open',
      entityType: 'care_case',
      entityId: id,
      nodePath: p.node_path,
    });
    return id;
  }

  return {
    // -------------------------------------------------------------- scales
    async scales() {
      return { items: (await repo.scales(db)).map(scaleView) };
    },
    async createScale(ctx: RequestContext, b: CreateScaleBody) {
      // Scales are the district's: only a holder of scales.manage at the root adds one.
      assertDistrictWide(actorOf(ctx), 'scales.manage');
      const issues = checkDefinition(b.definition);
      if (issues.length > 0) throw validationFailed(issuesOf(issues, ['body', 'definition']));
      const id = await db.transaction().execute(async (trx) => {
        if (await repo.scaleByCode(trx, b.code)) throw conflict('care.scale_exists');
        const id = await repo.insertScale(trx, {
          code: b.code,
          title_zh: b.title.zh,
          title_en: b.title.en,
          loinc: b.loinc ?? null,
          total_loinc: b.totalLoinc ?? null,
          definition: JSON.stringify(b.definition),
          builtin: 0,
          created_by: actorOf(ctx).userId,
          created_at: now(),
        });
        await recordAudit(trx, ctx, {
          action: 'scale.create',
          entityType: 'care_scale',
          entityId: id,
          detail: { code: b.code },
        });
        return id;
      });
      return scaleView(await repo.scaleById(db, id));
    },
    async scaleFhir(code: string) {
      return questionnaireOf(fhirScaleOf(await scaleOr404(db, code)));
    },

    // -------------------------------------------------------------- links
    async sendLink(ctx: RequestContext, code: string, b: { personId: number; hours?: number | undefined }) {
      const actor = actorOf(ctx);
      const s = await scaleOr404(db, code);
      const token = newToken();
      const at = now();
      const expiresAt = plusMs(at, (b.hours ?? SCALE_LINK_DEFAULT_HOURS) * HOUR);
      const id = await db.transaction().execute(async (trx) => {
        const p = await reachable(trx, actor, b.personId, 'scales.send');
        const id = await repo.insertLink(trx, {
          token_hash: sha256(token),
          scale_id: s.id,
          person_id: p.id,
          node_id: p.node_id,
          node_path: p.node_path,
          sent_by: actor.userId,
          sent_at: at,
          expires_at: expiresAt,
        });
        await audit(trx, ctx, {
          action: 'scale.link',
          entityType: 'care_link',
          entityId: id,
          nodePath: p.node_path,
          detail: { scale: s.code, personId: p.id, expiresAt },
        });
        return id;
      });
      poke();
      return { id, token, url: `/s/${token}`, expiresAt };
    },
    /** Links sent to a person (or all the caller's), with their state only: never the answers. */
    async links(ctx: RequestContext, q: { personId?: number | undefined }): Promise<{ items: LinkView[] }> {
      const actor = actorOf(ctx);
      const scopes = scopesFor(actor, 'counselling.read');
      const rows = await repo.links(
        db,
        { ...(q.personId ? { personId: q.personId } : {}), sentBy: actor.userId, scopes },
        LIST_LIMIT,
      );
      const at = now();
      return {
        items: rows.map((l) => ({
          id: l.id,
          scale: l.scale_code,
          person: {
            id: l.person_id,
            name: l.person_name,
            idNumberMasked: l.id_number_masked,
            phoneMasked: l.phone_masked,
          },
          state: l.used_at
            ? 'submitted'
            : l.expires_at <= at
              ? 'expired'
              : l.draft_at
                ? 'started'
                : 'waiting',
          sentBy: { id: l.sent_by, name: l.sent_by_name },
          sentAt: l.sent_at,
          expiresAt: l.expires_at,
          submittedAt: l.used_at,
        })),
      };
    },
    async publicScale(token: string) {
      const l = await linkOf(db, token);
      const s = await repo.scaleById(db, l.scale_id);
      return {
        code: s.code,
        title: { zh: s.title_zh, en: s.title_en },
        definition: definitionOf(s),
        greeting: greetingName(l.person_name),
        expiresAt: l.expires_at,
        draft: l.draft_enc ? (JSON.parse(pii.decrypt(l.draft_enc)) as ScaleAnswers) : null,
      };
    },
    async saveDraft(token: string, answers: ScaleAnswers) {
      const l = await linkOf(db, token);
      answersIssues(definitionOf(await repo.scaleById(db, l.scale_id)), answers, false);
      const at = now();
      if (
        !(await repo.updateLink(db, l.id, { draft_enc: pii.encrypt(JSON.stringify(answers)), draft_at: at }))
      )
        throw appError(410, 'care.link_used');
      return { savedAt: at };
    },
    async submit(ctx: RequestContext, token: string, answers: ScaleAnswers) {
      const result = await db.transaction().execute(async (trx) => {
        const l = await linkOf(trx, token);
        const s = await repo.scaleById(trx, l.scale_id);
        const def = definitionOf(s);
        answersIssues(def, answers, true);
        const score = scoreAnswers(def, answers);
        const at = now();
        // Used once: of two submissions at the same moment, one finds the link used.
        if (!(await repo.updateLink(trx, l.id, { used_at: at, draft_enc: null })))
          throw appError(410, 'care.link_used');
        const responseId = await repo.insertResponse(trx, {
          link_id: l.id,
          scale_id: s.id,
          person_id: l.person_id,
          node_id: l.node_id,
          node_path: l.node_path,
          answers_enc: pii.encrypt(JSON.stringify(answers)),
          total: score.total,
          band: score.band.code,
          crisis: JSON.stringify(score.crisis),
          submitted_at: at,
        });
        const month = localDate(at).slice(0, 7);
        await bumpCounters(trx, l.node_path, {
          [CARE_METRICS.submitted(month)]: 1,
          [CARE_METRICS.crisis(month)]: score.crisis.length > 0 ? 1 : 0,
          [CARE_METRICS.alertsOpen]: score.crisis.length > 0 ? 1 : 0,
        });
        // No answers and no score in the log: only that a scale came back, and whether it raised an alert.
        await audit(trx, ctx, {
          action: 'scale.submit',
          entityType: 'care_response',
          entityId: responseId,
          nodePath: l.node_path,
          detail: { linkId: l.id, scale: s.code, alert: score.crisis.length > 0 },
        });
        if (score.crisis.length > 0) {
          // The nearest on-duty counsellors: the person's own place first, then upward.
          const up = ancestorPaths(l.node_path).reverse();
          const counsellors = await repo.counsellorsNearest(trx, up);
          const alertId = await repo.insertAlert(trx, {
            response_id: responseId,
            person_id: l.person_id,
            node_id: l.node_id,
            node_path: l.node_path,
            counsellor_id: counsellors[0] ?? null,
            status: 'open',
            raised_at: at,
            ack_by: plusMs(at, ALERT_ACK_MINUTES * MINUTE),
            escalated_at: null,
            acknowledged_at: null,
            acknowledged_by: null,
            case_id: null,
          });
          // The village's managers learn that an alert exists (not the answers).
          const village = ancestorPaths(l.node_path)[2];
          const watchers = village ? await usersAssignedAt(trx, [village], 'counselling.alerts') : [];
          await notify(trx, [...new Set([...counsellors, ...watchers])], {
            at,
            kind: 'care.alert',
            message: msg('notification.care.alert', { name: l.person_name, minutes: ALERT_ACK_MINUTES }),
            entityType: 'care_alert',
            entityId: alertId,
          });
          await recordLive(trx, {
            kind: 'care.alert.raised',
            paths: [l.node_path],
            payload: { id: alertId },
          });
        }
        return { total: score.total, band: score.band.code };
      });
      poke();
      return result;
    },

    // -------------------------------------------------------------- alerts
    async alerts(ctx: RequestContext): Promise<{ items: AlertView[] }> {
      const actor = actorOf(ctx);
      const scopes = [
        ...new Set([...scopesFor(actor, 'counselling.read'), ...scopesFor(actor, 'counselling.alerts')]),
      ];
      if (scopes.length === 0) throw forbidden();
      const rows = await repo.alertsIn(db, scopes, plusMs(now(), -24 * HOUR), LIST_LIMIT);
      return { items: await Promise.all(rows.map((a) => alertView(actor, a))) };
    },
    async acknowledge(ctx: RequestContext, id: number) {
      const actor = actorOf(ctx);
      await db.transaction().execute(async (trx) => {
        const a = await repo.alert(trx, id);
        if (!a) throw notFound('care_alert');
        if (!can(actor, 'counselling.read', a.node_path) && !can(actor, 'counselling.alerts', a.node_path))
          throw forbidden();
        if (!can(actor, 'counselling.work', a.node_path)) throw forbidden();
        if (a.status !== 'open') throw conflict('care.alert_acknowledged');
        const at = now();
        const p = await repo.person(trx, a.person_id);
        const caseId = p ? await openCaseIn(trx, ctx, p, actor.userId, 'high', at) : null;
        if (
          !(await repo.updateAlert(trx, a.id, 'open', {
            status: 'acknowledged',
            acknowledged_at: at,
            acknowledged_by: actor.userId,
            case_id: caseId,
          }))
        )
          throw conflict('care.alert_acknowledged');
        await bumpCounters(trx, a.node_path, { [CARE_METRICS.alertsOpen]: -1 });
        await audit(trx, ctx, {
          action: 'care.alert.acknowledge',
          entityType: 'care_alert',
          entityId: a.id,
          nodePath: a.node_path,
          detail: { caseId },
        });
      });
      poke();
      return alertView(actor, (await repo.alert(db, id))!);
    },
    /** Alerts nobody acknowledged in time go to the place above: its counsellors and its managers. Scheduler. */
    async escalate(ctx: RequestContext) {
      const at = now();
      const due = await repo.alertsDue(db, at, 200);
      let escalated = 0;
      for (const d of due)
        await db.transaction().execute(async (trx) => {
          const a = await repo.alert(trx, d.id);
          if (!a || a.status !== 'open' || a.escalated_at || a.ack_by > at) return;
          if (!(await repo.markEscalated(trx, a.id, at))) return;
          escalated++;
          const up = ancestorPaths(a.node_path);
          // The town (or street): its counsellors, and whoever follows alerts at the village and the town.
          const town = up[1] ?? up[0]!;
          const counsellors = await repo.counsellorsNearest(trx, [town, up[0]!]);
          const watchers = await usersAssignedAt(trx, up.slice(1, 3), 'counselling.alerts');
          const place =
            (await trx.selectFrom('nodes').select('name').where('path', '=', town).executeTakeFirst())
              ?.name ?? '';
          await notify(
            trx,
            [...new Set([...counsellors, ...watchers, ...(a.counsellor_id ? [a.counsellor_id] : [])])],
            {
              at,
              kind: 'care.alert.escalated',
              message: msg('notification.care.alert_escalated', {
                name: a.person_name,
                minutes: ALERT_ACK_MINUTES,
                place,
              }),
              entityType: 'care_alert',
              entityId: a.id,
            },
          );
          await audit(trx, ctx, {
            action: 'care.alert.escalate',
            entityType: 'care_alert',
            entityId: a.id,
            nodePath: a.node_path,
            detail: { to: town },
          });
        });
      if (escalated > 0) poke();
      return { escalated };
    },

    // -------------------------------------------------------------- responses
    async response(ctx: RequestContext, id: number): Promise<ResponseView> {
      const actor = actorOf(ctx);
      const r = await repo.response(db, id);
      if (!r) throw notFound('care_response');
      if (!can(actor, 'counselling.read', r.node_path)) throw forbidden();
      const s = await repo.scaleById(db, r.scale_id);
      const def = definitionOf(s);
      const answers = JSON.parse(pii.decrypt(r.answers_enc)) as ScaleAnswers;
      await db.transaction().execute((trx) =>
        audit(
          trx,
          ctx,
          {
            action: 'care.response.read',
            entityType: 'care_response',
            entityId: r.id,
            nodePath: r.node_path,
          },
          false,
        ),
      );
      const band = def.bands.find((b) => b.code === r.band);
      return {
        id: r.id,
        scale: s.code,
        person: personRef(r),
        node: { id: r.node_id, name: r.node_name },
        total: r.total,
        maxTotal: totalRange(def).max,
        band: { code: r.band, label: band?.label ?? { zh: r.band, en: r.band } },
        crisis: JSON.parse(r.crisis) as CrisisReason[],
        submittedAt: r.submitted_at,
        items: answeredItems(def, answers),
      };
    },
    async responseFhir(ctx: RequestContext, id: number) {
      const actor = actorOf(ctx);
      const r = await repo.response(db, id);
      if (!r) throw notFound('care_response');
      if (!can(actor, 'counselling.read', r.node_path)) throw forbidden();
      const s = await repo.scaleById(db, r.scale_id);
      const def = definitionOf(s);
      const band = def.bands.find((b) => b.code === r.band);
      await db.transaction().execute((trx) =>
        audit(
          trx,
          ctx,
          {
            action: 'care.response.export',
            entityType: 'care_response',
            entityId: r.id,
            nodePath: r.node_path,
          },
          false,
        ),
      );
      return responseBundleOf(fhirScaleOf(s), {
        responseId: r.id,
        personId: r.person_id,
        personName: r.person_name,
        submittedAt: r.submitted_at,
        answers: JSON.parse(pii.decrypt(r.answers_enc)) as ScaleAnswers,
        total: r.total,
        band: { code: r.band, label: band?.label ?? { zh: r.band, en: r.band } },
      });
    },

    // -------------------------------------------------------------- people and cases
    async people(ctx: RequestContext, q: { q?: string | undefined }): Promise<{ items: CarePerson[] }> {
      const actor = actorOf(ctx);
      const scopes = scopesFor(actor, 'counselling.read');
      if (scopes.length === 0) throw forbidden();
      const rows = await repo.carePeople(db, scopes, actor.userId, q.q, LIST_LIMIT);
      const ids = rows.map((r) => r.id);
      const [observed, linkRows] = await Promise.all([
        repo.activeObservations(db, ids),
        Promise.all(ids.map((id) => repo.links(db, { personId: id }, 1))),
      ]);
      const at = now();
      const out: CarePerson[] = [];
      for (const [i, p] of rows.entries()) {
        const l = linkRows[i]![0];
        const c = await repo.openCaseOf(db, p.id);
        out.push({
          id: p.id,
          name: p.name,
          idNumberMasked: p.id_number_masked,
          phoneMasked: p.phone_masked,
          node: { id: p.node_id, name: p.node_name },
          inObservation: observed.has(p.id),
          caseId: c?.id ?? null,
          lastLink: l
            ? {
                scale: l.scale_code,
                state: l.used_at
                  ? 'submitted'
                  : l.expires_at <= at
                    ? 'expired'
                    : l.draft_at
                      ? 'started'
                      : 'waiting',
                sentAt: l.sent_at,
              }
            : null,
        });
      }
      return { items: out };
    },
    async cases(
      ctx: RequestContext,
      q: {
        status?: 'open' | 'referred' | 'closed' | undefined;
        due?: '1' | undefined;
        node?: number | undefined;
        page: number;
        pageSize: number;
      },
    ) {
      const actor = actorOf(ctx);
      const scopes = scopesFor(actor, 'counselling.read');
      if (scopes.length === 0) throw forbidden();
      const under = q.node ? (await listNode(db, scopes, q.node)).path : undefined;
      const { items, total } = await repo.casesPage(
        db,
        {
          scopes,
          ...(under ? { under } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.due ? { dueBy: localDate(now()) } : {}),
        },
        q.page,
        q.pageSize,
      );
      const alerts = await repo.openAlertCounts(
        db,
        items.map((c) => c.person_id),
      );
      return {
        items: items.map((c) => caseSummary(c, alerts.get(c.person_id) ?? 0)),
        total,
        page: q.page,
        pageSize: q.pageSize,
      };
    },
    async getCase(ctx: RequestContext, id: number) {
      const actor = actorOf(ctx);
      return caseView(actor, await caseOr403(db, actor, id));
    },
    async openCase(ctx: RequestContext, personId: number) {
      const actor = actorOf(ctx);
      const id = await db.transaction().execute(async (trx) => {
        const p = await reachable(trx, actor, personId, 'counselling.work');
        return openCaseIn(trx, ctx, p, actor.userId, 'low', now());
      });
      poke();
      return caseView(actor, (await repo.careCase(db, id))!);
    },
    addContact(ctx: RequestContext, id: number, b: ContactBody) {
      return changeCase(ctx, id, async (trx, c, actor, at) => {
        await repo.insertContact(trx, {
          case_id: c.id,
          kind: b.kind,
          note_enc: pii.encrypt(b.note),
          at,
          by_user_id: actor.userId,
        });
        await repo.updateCase(trx, c.id, {
          last_contact_at: at,
          ...(b.nextContactOn !== undefined ? { next_contact_on: b.nextContactOn } : {}),
          ...(b.risk ? { risk: b.risk } : {}),
        });
        return { action: 'care.case.contact', detail: { kind: b.kind, ...(b.risk ? { risk: b.risk } : {}) } };
      });
    },
    updateCase(
      ctx: RequestContext,
      id: number,
      b: { risk?: CaseView['risk'] | undefined; nextContactOn?: string | null | undefined },
    ) {
      return changeCase(ctx, id, async (trx, c) => {
        await repo.updateCase(trx, c.id, {
          ...(b.risk ? { risk: b.risk } : {}),
          ...(b.nextContactOn !== undefined ? { next_contact_on: b.nextContactOn } : {}),
        });
        return {
          action: 'care.case.update',
          detail: {
            ...(b.risk ? { risk: b.risk } : {}),
            ...(b.nextContactOn !== undefined ? { nextContactOn: b.nextContactOn } : {}),
          },
        };
      });
    },
    refer(ctx: RequestContext, id: number, b: { kind: ReferralKind; note: string }) {
      return changeCase(ctx, id, async (trx, c, _actor, at) => {
        if (c.status !== 'open') throw conflict('care.case_referred');
        await repo.updateCase(trx, c.id, {
          status: 'referred',
          referral_kind: b.kind,
          referral_enc: pii.encrypt(b.note),
          referred_at: at,
        });
        return { action: 'care.case.refer', detail: { kind: b.kind } };
      });
    },
    close(ctx: RequestContext, id: number, b: { note: string }) {
      return changeCase(ctx, id, async (trx, c, _actor, at) => {
        await repo.updateCase(trx, c.id, {
          status: 'closed',
          close_note_enc: pii.encrypt(b.note),
          closed_at: at,
          next_contact_on: null,
        });
        return { action: 'care.case.close' };
      });
    },

    // -------------------------------------------------------------- statistics
    async stats(ctx: RequestContext, q: { node?: number | undefined }) {
      const actor = actorOf(ctx);
      const scopes = scopesFor(actor, 'counselling.stats');
      if (scopes.length === 0) throw forbidden();
      const node = q.node
        ? await listNode(db, scopes, q.node)
        : await listNode(
            db,
            scopes,
            (
              await db
                .selectFrom('nodes')
                .select('id')
                .where('path', '=', scopes[0]!)
                .executeTakeFirstOrThrow()
            ).id,
          );
      const children = await db
        .selectFrom('nodes')
        .select(['id', 'name', 'level', 'path'])
        .where('parent_id', '=', node.id)
        .orderBy('path')
        .execute();
      const raw = await repo.statsUnder(db, node.path);
      const sum = (rows: { node_path: string; n: number }[], under: string) =>
        rows.filter((r) => r.node_path.startsWith(under)).reduce((t, r) => t + Number(r.n), 0);
      const figures = (path: string, level: string) => ({
        sent: showCount(level, sum(raw.sent, path)),
        submitted: showCount(level, sum(raw.submitted, path)),
        crisis: showCount(level, sum(raw.crisis, path)),
        openAlerts: showCount(level, sum(raw.openAlerts, path)),
        openCases: showCount(level, sum(raw.openCases, path)),
      });
      return {
        node: { id: node.id, name: node.name, level: node.level },
        totals: figures(node.path, node.level),
        children: children.map((c) => ({
          id: c.id,
          name: c.name,
          level: c.level,
          figures: figures(c.path, c.level),
        })),
      };
    },
  };
}

export type CareService = ReturnType<typeof createCareService>;
