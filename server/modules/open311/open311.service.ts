// Open311 GeoReport v2 over joint handling (docs/open311.md): public sub-categories are the services,
// events in them are the service requests, and other systems post requests with an Open311 key that
// the district administrator issues. Answers are plain values; the routes write them as JSON or XML.
import { publicReportBody, type ExtraField } from '../../../common/contracts/events.js';
import type { Open311KeyInfo } from '../../../common/contracts/open311.js';
import { MAX_ID } from '../../../common/contracts/shared.js';
import type { DB } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import { actorOf, assertDistrictWide, type RequestContext } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { randomToken, sha256 } from '../../platform/crypto.js';
import {
  msg,
  renderMessage,
  type Lang,
  type Message,
  type MessageCode,
} from '../../../common/messages/index.js';
import { zodIssueMessage } from '../../platform/error-handler.js';
import { AppError, appError, conflict, notFound, type ProblemIssue } from '../../platform/errors.js';
import type { EventsService } from '../events/index.js';
import * as repo from './open311.repository.js';

export const OPEN311_SPEC = 'http://wiki.open311.org/GeoReport_v2';
/** States in which a request is closed for Open311; every other state is open. */
const CLOSED_STATES = ['closed', 'evaluated', 'rejected'] as const;
const MAX_RESULTS = 1000;
const MAX_IDS = 100;
const MAX_SPAN_MS = 90 * 86_400_000;
const KEY_PREFIX = 'o311_';
/** Our intake keeps 2,000 characters of description (the spec allows clients 4,000). */
const DESCRIPTION_MAX = 2000;
/** media_url travels in the description (events keep no media column); read back for Open311 reports only. */
const MEDIA_LINE = '\n\n照片 Media: ';
const MEDIA_AT_END = /\n\n照片 Media: (https?:\/\/\S+)$/;

/** What the request handlers take from a form or a query string: text, or text repeated. */
export type Params = Record<string, unknown>;

interface Issue {
  field: string;
  message: Message;
}
/** 400 listing every problem; each becomes one error of the Open311 error list. */
const invalid = (issues: Issue[]) =>
  new AppError(400, 'open311.invalid', msg('open311.invalid'), {
    issues: issues.map((i): ProblemIssue => ({ path: i.field, message: i.message, code: 'invalid' })),
  });
const missing = (what: string) => new AppError(404, 'not_found', msg('not_found.open311', { what }));

/** One value of a form or query field: empty counts as absent (the spec's "optional arguments"). */
function one(p: Params, key: string): string | undefined {
  const v = p[key];
  const s: unknown = Array.isArray(v) ? (v as unknown[])[0] : v;
  const t = (typeof s === 'string' ? s : typeof s === 'number' ? String(s) : '').trim();
  return t === '' ? undefined : t;
}
/** A comma-delimited field, possibly repeated: every non-empty item. */
function list(p: Params, key: string): string[] {
  const v = p[key];
  const all = (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]) as unknown[];
  return all
    .flatMap((x) => String(x as string).split(','))
    .map((x) => x.trim())
    .filter(Boolean);
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
// The W3C profile of ISO 8601: a date, or a date and time with a timezone (Z or ±hh:mm).
const W3_DATE = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function parseW3(field: string, text: string | undefined, issues: Issue[]): number | undefined {
  if (text === undefined) return undefined;
  const m = W3_DATE.exec(text);
  const at = m ? Date.parse(m[4] ? text : `${text}T00:00:00Z`) : NaN;
  // A real calendar day: 2026-02-30 is refused rather than read as March 2nd.
  const day = m
    ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10)
    : '';
  if (!m || Number.isNaN(at) || day !== text.slice(0, 10)) {
    issues.push({ field, message: msg('issue.w3c_datetime') });
    return undefined;
  }
  return at;
}

/** w3 format without fractions of a second, which some clients do not read. */
const w3 = (iso: string | null) => (iso ? iso.replace(/\.\d+Z$/, 'Z') : null);

/** Open311 field names of our intake's fields, for the errors. */
function fieldOf(path: string): string {
  const p = path.replace(/^(body|querystring|params)\./, '');
  if (p.startsWith('attributes.')) return `attribute[${p.slice('attributes.'.length)}]`;
  const names: Record<string, string> = {
    categoryId: 'service_code',
    lat: 'lat',
    lng: 'long',
    nodeId: 'lat',
    address: 'address_string',
    name: 'first_name',
    phone: 'phone',
    description: 'description',
    title: 'description',
  };
  return names[p] ?? p;
}

const DATATYPES: Record<ExtraField['type'], string> = {
  integer: 'number',
  decimal: 'number',
  text: 'string',
  choice: 'singlevaluelist',
};
const DATATYPE_NOTES: Partial<Record<ExtraField['type'], MessageCode>> = {
  integer: 'issue.whole_number',
  decimal: 'issue.number',
};

function keyInfo(r: repo.KeyRow): Open311KeyInfo {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    createdBy: r.created_by,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  };
}

/** Trusted server code (the demo seed): an Open311 key with a chosen value, unless it exists already. */
export async function ensureOpen311Key(db: DB, v: { name: string; key: string }): Promise<void> {
  const hash = sha256(v.key);
  await db.transaction().execute(async (trx) => {
    if (await repo.findKeyByHash(trx, hash)) return;
    const id = await repo.insertKey(trx, {
      name: v.name,
      key_hash: hash,
      prefix: v.key.slice(0, 8),
      created_by: null,
      created_at: nowIso(),
    });
    await recordAudit(
      trx,
      { actor: null, requestId: 'demo-seed' },
      { action: 'open311_key.create', entityType: 'open311_key', entityId: id, detail: { name: v.name } },
    );
  });
}

export function createOpen311Service(deps: { db: DB; events: EventsService; now?: () => string }) {
  const { db, events } = deps;
  const now = deps.now ?? nowIso;

  function toRequest(r: repo.RequestRow, notes: Map<number, string>) {
    const fromOpen311 = r.channel === 'open311';
    const media = fromOpen311 ? MEDIA_AT_END.exec(r.description) : null;
    // Staff write patrol and hotline reports: only what a resident or another system sent in is shown.
    const description =
      r.channel === 'public' || fromOpen311
        ? media
          ? r.description.slice(0, media.index)
          : r.description
        : null;
    return {
      service_request_id: String(r.id),
      status: (CLOSED_STATES as readonly string[]).includes(r.state) ? 'closed' : 'open',
      status_notes: notes.get(r.id) ?? null,
      service_name: r.service_name,
      service_code: r.service_code,
      description,
      agency_responsible: r.agency,
      service_notice: r.closing_criteria,
      requested_datetime: w3(r.created_at),
      updated_datetime: w3(r.updated_at),
      expected_datetime: w3(r.handle_due_at),
      address: r.address,
      address_id: null,
      zipcode: null,
      lat: r.lat,
      long: r.lng,
      media_url: media?.[1] ?? null,
    };
  }

  /** The latest public note of each event: the department's feedback, or why it was not filed. */
  async function notesOf(ids: readonly number[]) {
    const out = new Map<number, string>();
    for (const h of await repo.publicNotes(db, ids)) {
      const note =
        h.action === 'reject'
          ? h.reason
          : h.detail
            ? ((JSON.parse(h.detail) as { note?: string }).note ?? null)
            : null;
      if (note) out.set(h.event_id, note);
    }
    return out;
  }

  async function withNotes(rows: repo.RequestRow[]) {
    const notes = await notesOf(rows.map((r) => r.id));
    return rows.map((r) => toRequest(r, notes));
  }

  return {
    async discovery(baseUrl: string, lang: Lang) {
      const changed = w3(await repo.servicesChangedAt(db)) ?? '';
      return {
        changeset: changed,
        contact: renderMessage('open311.contact', undefined, lang),
        key_service: renderMessage('open311.key_service', undefined, lang),
        endpoints: [
          {
            specification: OPEN311_SPEC,
            url: baseUrl,
            changeset: changed,
            type: 'production',
            formats: ['text/xml', 'application/json'],
          },
        ],
      };
    },

    async services() {
      return (await repo.listServices(db)).map((s) => ({
        service_code: s.code,
        service_name: s.name_zh,
        description: s.name_en,
        metadata: (JSON.parse(s.extra_fields) as ExtraField[]).length > 0,
        type: 'realtime',
        keywords: [s.name_en, s.group_zh, s.group_en].join(', '),
        group: s.group_zh,
      }));
    },

    async serviceDefinition(code: string, lang: Lang) {
      const s = await repo.findService(db, code);
      if (!s) throw missing('service_code');
      const fields = JSON.parse(s.extra_fields) as ExtraField[];
      return {
        service_code: s.code,
        attributes: fields.map((f, i) => ({
          variable: true,
          code: f.code,
          datatype: DATATYPES[f.type],
          required: f.required,
          datatype_description: DATATYPE_NOTES[f.type]
            ? renderMessage(DATATYPE_NOTES[f.type]!, undefined, lang)
            : null,
          order: i + 1,
          description: lang === 'en' ? f.labelEn : f.labelZh,
          ...(f.type === 'choice' ? { values: (f.choices ?? []).map((c) => ({ key: c, name: c })) } : {}),
        })),
      };
    },

    /**
     * POST a service request: the key first (403), then the service (400 missing, 404 unknown), then
     * every other problem at once (400). The event is created by the events service, attributed to the key.
     */
    async createRequest(ctx: RequestContext, form: Params) {
      const apiKey = one(form, 'api_key');
      if (!apiKey) throw appError(403, 'open311.api_key_missing');
      const key = await repo.findKeyByHash(db, sha256(apiKey));
      if (!key || key.revoked_at) throw appError(403, 'open311.api_key_invalid');

      const code = one(form, 'service_code');
      if (!code) throw invalid([{ field: 'service_code', message: msg('issue.required') }]);
      const service = await repo.findService(db, code);
      if (!service) throw missing(`service_code ${code}`);
      const fields = new Map((JSON.parse(service.extra_fields) as ExtraField[]).map((f) => [f.code, f]));

      const issues: Issue[] = [];
      const latText = one(form, 'lat');
      const longText = one(form, 'long');
      let lat: number | undefined;
      let lng: number | undefined;
      if (latText !== undefined && longText !== undefined) {
        for (const [field, text] of [
          ['lat', latText],
          ['long', longText],
        ] as const) {
          if (!NUMBER.test(text)) issues.push({ field, message: msg('issue.wgs84') });
        }
        lat = Number(latText);
        lng = Number(longText);
      } else if (latText !== undefined || longText !== undefined) {
        issues.push({
          field: latText === undefined ? 'lat' : 'long',
          message: msg('issue.lat_long_together'),
        });
      } else if (one(form, 'address_string') !== undefined || one(form, 'address_id') !== undefined) {
        issues.push({
          field: 'lat',
          message: msg('issue.lat_long_required_here'),
        });
      } else {
        issues.push({ field: 'lat', message: msg('issue.location_required') });
      }

      const attributes: Record<string, string | number> = {};
      for (const [k, v] of Object.entries(form)) {
        const m = /^attribute\[([^\]]*)\](\[\])?$/.exec(k);
        if (!m) continue;
        const fieldCode = m[1]!;
        const values = (Array.isArray(v) ? v : [v]).map((x) => String(x as string).trim()).filter(Boolean);
        if (values.length === 0) continue;
        if (values.length > 1) {
          issues.push({ field: `attribute[${fieldCode}]`, message: msg('issue.one_value') });
          continue;
        }
        const f = fields.get(fieldCode);
        // Numbers are kept as numbers, as the web form keeps them; the events service checks them.
        attributes[fieldCode] =
          f && (f.type === 'integer' || f.type === 'decimal') && NUMBER.test(values[0]!)
            ? Number(values[0])
            : values[0]!;
      }

      const mediaUrl = one(form, 'media_url');
      if (
        mediaUrl !== undefined &&
        (!/^https?:\/\/\S+$/i.test(mediaUrl) || !URL.canParse(mediaUrl) || mediaUrl.length > 500)
      ) {
        issues.push({ field: 'media_url', message: msg('issue.media_url') });
      }
      const text = one(form, 'description') ?? service.name_zh;
      const description = mediaUrl ? `${text}${MEDIA_LINE}${mediaUrl}` : text;
      if (description.length > DESCRIPTION_MAX)
        issues.push({
          field: 'description',
          message: mediaUrl
            ? msg('issue.description_length', { max: DESCRIPTION_MAX })
            : msg('zod.too_big.string', { maximum: DESCRIPTION_MAX }),
        });

      const first = one(form, 'first_name');
      const last = one(form, 'last_name');
      // Chinese names put the family name first; others keep "given family".
      const name =
        first && last
          ? /[\u3400-\u9fff]/.test(first + last)
            ? `${last}${first}`
            : `${first} ${last}`
          : (first ?? last);
      const candidate: Record<string, unknown> = { categoryId: service.id, description, attributes };
      if (lat !== undefined && lng !== undefined) Object.assign(candidate, { lat, lng });
      const address = one(form, 'address_string');
      if (address !== undefined) candidate.address = address;
      if (name !== undefined) candidate.name = name;
      const phone = one(form, 'phone');
      if (phone !== undefined) candidate.phone = phone;
      const parsed = publicReportBody.safeParse(candidate);
      if (!parsed.success) {
        for (const i of parsed.error.issues) {
          const field = fieldOf(i.path.map(String).join('.'));
          if (!issues.some((x) => x.field === field))
            issues.push({
              field,
              message: zodIssueMessage(i.code, i as unknown as Record<string, unknown>, i.message),
            });
        }
      }
      if (issues.length > 0 || !parsed.success) throw invalid(issues);

      let created: { id: number; trackingCode: string };
      try {
        // Attributed to the key, never to whoever else may be signed in on this client.
        created = await events.reportPublic({ ...ctx, actor: null }, parsed.data, {
          channel: 'open311',
          apiKeyId: key.id,
        });
      } catch (e) {
        if (!(e instanceof AppError) || e.status !== 400) throw e;
        if (e.code === 'event.outside')
          throw invalid([{ field: 'lat', message: msg('issue.point_outside_jurisdiction') }]);
        throw invalid(
          (e.extra.issues ?? [{ path: 'service_code', message: e.title, code: e.code }]).map((i) => ({
            field: fieldOf(i.path),
            message: i.message,
          })),
        );
      }
      await repo.touchKey(db, key.id, now());
      return [
        {
          service_request_id: String(created.id),
          token: created.trackingCode,
          service_notice: service.closing_criteria,
          account_id: null,
        },
      ];
    },

    async token(token: string) {
      const r = /^[A-Z0-9]{4,20}$/.test(token) ? await repo.findRequestByToken(db, token) : undefined;
      if (!r) throw missing('token');
      return [{ service_request_id: String(r.id), token: r.tracking_code }];
    },

    async request(idText: string) {
      const id = /^\d{1,10}$/.test(idText) ? Number(idText) : 0;
      const r = id >= 1 && id <= MAX_ID ? await repo.findRequest(db, id) : undefined;
      if (!r) throw missing('service_request_id');
      return withNotes([r]);
    },

    /** GET requests: by ids (overriding every other argument), or by service, status and a span of at most 90 days. */
    async requests(q: Params) {
      const issues: Issue[] = [];
      const idTexts = list(q, 'service_request_id');
      if (idTexts.length > 0) {
        if (idTexts.length > MAX_IDS)
          issues.push({ field: 'service_request_id', message: msg('issue.max_ids', { max: MAX_IDS }) });
        const bad = idTexts.filter((t) => !/^\d{1,10}$/.test(t) || Number(t) < 1 || Number(t) > MAX_ID);
        if (bad.length > 0)
          issues.push({
            field: 'service_request_id',
            message: msg('issue.not_request_id', { ids: bad.slice(0, 3).join(', ') }),
          });
        if (issues.length > 0) throw invalid(issues);
        return withNotes(
          await repo.listRequests(db, { ids: [...new Set(idTexts.map(Number))], limit: MAX_RESULTS }),
        );
      }

      const statuses = list(q, 'status');
      for (const s of statuses)
        if (s !== 'open' && s !== 'closed')
          issues.push({ field: 'status', message: msg('issue.open_or_closed') });
      let start = parseW3('start_date', one(q, 'start_date'), issues);
      let end = parseW3('end_date', one(q, 'end_date'), issues);
      if (issues.length > 0) throw invalid(issues);
      if (start === undefined && end === undefined) end = Date.parse(now());
      if (start === undefined) start = end! - MAX_SPAN_MS;
      if (end === undefined) end = start + MAX_SPAN_MS;
      if (end < start) throw invalid([{ field: 'end_date', message: msg('issue.end_after_start') }]);
      if (end - start > MAX_SPAN_MS)
        throw invalid([{ field: 'end_date', message: msg('issue.dates_90_days') }]);

      const wanted = new Set(statuses);
      const states =
        wanted.size === 1
          ? wanted.has('closed')
            ? { in: CLOSED_STATES }
            : { notIn: CLOSED_STATES }
          : undefined;
      const rows = await repo.listRequests(db, {
        serviceCodes: list(q, 'service_code'),
        from: new Date(start).toISOString(),
        to: new Date(end).toISOString(),
        states,
        limit: MAX_RESULTS,
      });
      return withNotes(rows);
    },

    // ---- keys, managed by a district-level administrator

    async listKeys(ctx: RequestContext) {
      assertDistrictWide(actorOf(ctx), 'events.configure');
      return (await repo.listKeys(db)).map(keyInfo);
    },

    /** A new key, returned once: only its hash is kept. */
    async createKey(ctx: RequestContext, name: string) {
      const actor = actorOf(ctx);
      assertDistrictWide(actor, 'events.configure');
      const key = KEY_PREFIX + randomToken(32);
      const at = now();
      const id = await db.transaction().execute(async (trx) => {
        const id = await repo.insertKey(trx, {
          name,
          key_hash: sha256(key),
          prefix: key.slice(0, 8),
          created_by: actor.userId,
          created_at: at,
        });
        await recordAudit(trx, ctx, {
          action: 'open311_key.create',
          entityType: 'open311_key',
          entityId: id,
          detail: { name },
        });
        return id;
      });
      return {
        ...keyInfo({
          id,
          name,
          prefix: key.slice(0, 8),
          created_by: actor.username,
          created_at: at,
          last_used_at: null,
          revoked_at: null,
        }),
        key,
      };
    },

    async revokeKey(ctx: RequestContext, id: number) {
      assertDistrictWide(actorOf(ctx), 'events.configure');
      await db.transaction().execute(async (trx) => {
        const k = await repo.findKey(trx, id);
        if (!k) throw notFound('api_key');
        if (k.revoked_at) throw conflict('open311_key.revoked');
        await repo.revokeKey(trx, id, now());
        await recordAudit(trx, ctx, {
          action: 'open311_key.revoke',
          entityType: 'open311_key',
          entityId: id,
          detail: { name: k.name },
        });
      });
    },
  };
}

export type Open311Service = ReturnType<typeof createOpen311Service>;
