// People and households: scope, masking, audited reveal, merge, export. Imports are in people.import.ts.
import {
  DEFAULT_LANG,
  isMessageCode,
  msg,
  renderMessage,
  type MessageCode,
} from '../../../common/messages/index.js';
import type { z } from 'zod';
import type {
  createPersonBody,
  exportBody,
  listHouseholdsQuery,
  listPeopleQuery,
  PersonDetail,
  PersonSummary,
  SensitiveField,
  Tag,
  updatePersonBody,
} from '../../../common/contracts/people.js';
import { maskIdNumber, maskPhone, normalizePhone, parseIdNumber } from '../../../common/validators.js';
import type { DB, Executor } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import type { PersonRow } from '../../db/schema.js';
import {
  actorOf,
  assertCan,
  assertDistrictWide,
  can,
  scopesFor,
  type Actor,
  type RequestContext,
} from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import type { PiiCipher } from '../../platform/pii.js';
import { writeWorkbook } from '../../platform/tabular.js';
import { findNode, listNode } from '../nodes/index.js';
import * as repo from './people.repository.js';

export const PERSON_LEVELS = new Set(['grid', 'microgrid']);
const EXPORT_LIMIT = 200_000;
/**
 * The export's columns, as message codes rendered in the language asked. The export is for reading,
 * not for importing back (it has 性别, 出生日期 and 网格编码, and no 户号), so its headers are not the
 * import's column names.
 */
export const PEOPLE_EXPORT_COLUMNS = [
  'export.person.name',
  'export.person.id_number',
  'export.person.phone',
  'export.person.gender',
  'export.person.birth_date',
  'export.person.residence_type',
  'export.person.grid',
  'export.person.grid_code',
  'export.person.address',
  'export.person.ethnicity',
  'export.person.origin',
  'export.person.arrival_date',
  'export.person.tags',
] as const satisfies readonly MessageCode[];

export function toSummary(r: repo.PersonSummaryRow, tags: string[]): PersonSummary {
  return {
    id: r.id,
    name: r.name,
    idNumber: r.id_number_masked,
    phone: r.phone_masked,
    gender: (r.gender as PersonSummary['gender']) ?? null,
    birthDate: r.birth_date,
    residenceType: r.residence_type as PersonSummary['residenceType'],
    node: { id: r.node_id, name: r.node_name, fullCode: r.node_full_code },
    householdId: r.household_id,
    address: r.address,
    tags,
  };
}

async function withTags(db: Executor, rows: repo.PersonSummaryRow[]) {
  const tags = await repo.tagsOf(
    db,
    rows.map((r) => r.id),
  );
  const by = new Map<number, string[]>();
  for (const t of tags) by.set(t.person_id, [...(by.get(t.person_id) ?? []), t.tag_code]);
  return rows.map((r) => toSummary(r, by.get(r.id) ?? []));
}

/** The protected columns for an ID number and a phone: ciphertext, blind index, masked form. */
export function protectedColumns(
  pii: PiiCipher,
  idNumber: string | null | undefined,
  phone: string | null | undefined,
  idBidx?: string | null,
) {
  const out: Partial<PersonRow> = {};
  if (idNumber !== undefined) {
    out.id_number_enc = idNumber ? pii.encrypt(idNumber) : null;
    // The import computed the blind index already, to find people registered before.
    out.id_number_bidx = idNumber ? (idBidx ?? pii.blindIndex('id', idNumber)) : null;
    out.id_number_masked = idNumber ? maskIdNumber(idNumber) : null;
  }
  if (phone !== undefined) {
    out.phone_enc = phone ? pii.encrypt(phone) : null;
    out.phone_bidx = phone ? pii.blindIndex('phone', phone) : null;
    out.phone_masked = phone ? maskPhone(phone) : null;
  }
  return out;
}

/** What the audit keeps of a person: never the clear ID number or phone. */
const auditView = (p: Partial<PersonRow>) => ({
  name: p.name,
  node: p.node_path,
  idNumber: p.id_number_bidx,
  phone: p.phone_bidx,
  type: p.residence_type,
  household: p.household_id,
  address: p.address,
  notes: p.notes,
});

/** A new person's row: the ID number's gender and birth date win over those typed. */
function newPersonRow(
  node: { id: number; path: string },
  body: Omit<z.infer<typeof createPersonBody>, 'nodeId'>,
  prot: Partial<PersonRow>,
  now: string,
) {
  const derived = body.idNumber ? parseIdNumber(body.idNumber) : null;
  return {
    node_id: node.id,
    node_path: node.path,
    name: body.name,
    id_number_enc: null,
    id_number_bidx: null,
    id_number_masked: null,
    phone_enc: null,
    phone_bidx: null,
    phone_masked: null,
    ...prot,
    gender: derived?.ok ? derived.value.gender : (body.gender ?? null),
    birth_date: derived?.ok ? derived.value.birthDate : (body.birthDate ?? null),
    ethnicity: body.ethnicity ?? null,
    household_id: body.householdId ?? null,
    relation_to_head: body.relationToHead ?? null,
    address: body.address ?? null,
    residence_type: body.residenceType,
    arrival_date: body.arrivalDate ?? null,
    origin_region: body.originRegion ?? null,
    no_id_reason: body.idNumber ? null : (body.noIdReason ?? null),
    notes: body.notes ?? null,
    merged_into_id: null,
    created_at: now,
    updated_at: now,
  };
}

/**
 * A person met on a door-to-door visit who is not on the list: found by ID number if registered
 * anywhere (no second record), otherwise registered at the grid as a floating resident. Runs in the
 * caller's transaction; the caller audits the visit, this writes the person's own history and audit.
 */
export async function registerFoundPerson(
  trx: Executor,
  ctx: RequestContext,
  pii: PiiCipher,
  p: {
    node: { id: number; path: string };
    name: string;
    idNumber: string;
    phone: string | null;
    address: string | null;
    householdId: number | null;
    /** The caller's clock. */
    at: string;
  },
): Promise<{ id: number; nodePath: string; householdId: number | null; created: boolean }> {
  const prot = protectedColumns(pii, p.idNumber, p.phone);
  const [existing] = await repo.findByIdBidx(trx, [prot.id_number_bidx!]);
  if (existing) {
    const row = await repo.findPerson(trx, existing.id);
    return {
      id: existing.id,
      nodePath: existing.node_path,
      householdId: row?.household_id ?? null,
      created: false,
    };
  }
  const now = p.at;
  const row = newPersonRow(
    p.node,
    {
      name: p.name,
      idNumber: p.idNumber,
      address: p.address,
      householdId: p.householdId,
      residenceType: 'floating',
    },
    prot,
    now,
  );
  const [id] = await repo.insertPeople(trx, [row]);
  const actor = actorOf(ctx);
  await repo.addHistory(trx, [
    { person_id: id!, at: now, action: 'created', actor_label: actor.username, detail: null },
  ]);
  await recordAudit(trx, ctx, {
    action: 'person.create',
    entityType: 'person',
    entityId: id!,
    nodePath: p.node.path,
    after: auditView(row),
  });
  return { id: id!, nodePath: p.node.path, householdId: p.householdId, created: true };
}

export function createPeopleService(deps: { db: DB; pii: PiiCipher }) {
  const { db, pii } = deps;

  async function loadIn(
    x: Executor,
    actor: Actor,
    id: number,
    permission: 'people.read' | 'people.write' | 'people.reveal' | 'people.merge',
  ) {
    const p = await repo.findPerson(x, id);
    if (!p) throw notFound('person');
    assertCan(actor, permission, p.node_path);
    return p;
  }

  async function placeAt(x: Executor, actor: Actor, nodeId: number) {
    const node = await findNode(x, nodeId);
    if (!node)
      throw badRequest('person.node_unknown', {}, [
        { path: 'body.nodeId', message: msg('issue.unknown_node'), code: 'unknown' },
      ]);
    assertCan(actor, 'people.write', node.path);
    if (!PERSON_LEVELS.has(node.level) || node.retired_at) {
      throw badRequest('person.node_not_grid', {}, [
        { path: 'body.nodeId', message: msg('issue.choose_grid'), code: 'not_grid' },
      ]);
    }
    return node;
  }

  async function checkTags(x: Executor, tags: readonly string[] | undefined) {
    if (!tags || tags.length === 0) return [];
    const known = new Map((await repo.listTags(x)).map((t) => [t.code, t]));
    const bad = tags.filter((t) => !known.get(t) || known.get(t)!.retired_at);
    if (bad.length > 0) {
      throw badRequest(
        'person.unknown_tag',
        { tags: bad.join(', ') },
        bad.map((t) => ({
          path: 'body.tags',
          message: msg('issue.unknown_tag', { tag: t }),
          code: 'unknown_tag',
        })),
      );
    }
    return [...new Set(tags)];
  }

  async function checkHousehold(x: Executor, actor: Actor, householdId: number | null | undefined) {
    if (householdId === undefined || householdId === null) return;
    const h = await repo.findHousehold(x, householdId);
    if (!h)
      throw badRequest('person.household_unknown', {}, [
        { path: 'body.householdId', message: msg('issue.unknown_household'), code: 'unknown' },
      ]);
    assertCan(actor, 'people.write', h.node_path);
  }

  async function assertNoDuplicate(
    x: Executor,
    actor: Actor,
    bidx: string | null | undefined,
    exceptId?: number,
  ) {
    if (!bidx) return;
    const [existing] = await repo.findByIdBidx(x, [bidx]);
    if (existing && existing.id !== exceptId) {
      const visible = can(actor, 'people.read', existing.node_path);
      throw conflict(
        'person.duplicate',
        {},
        {
          ...(visible ? { existingId: existing.id } : {}),
          issues: [{ path: 'body.idNumber', message: msg('issue.already_registered'), code: 'duplicate' }],
        },
      );
    }
  }

  return {
    async list(ctx: RequestContext, q: z.infer<typeof listPeopleQuery>) {
      const actor = actorOf(ctx);
      const filter: repo.PeopleFilter = { scopes: scopesFor(actor, 'people.read'), type: q.type };
      if (q.node) {
        const node = await listNode(db, filter.scopes, q.node);
        // The node lies in the caller's scope (just checked), so its own range is the whole condition:
        // one range lets the database use the index for it instead of the wider scope's.
        filter.scopes = [node.path];
      }
      if (q.tag) filter.tags = Array.isArray(q.tag) ? q.tag : [q.tag];
      if (q.q) {
        const asId = parseIdNumber(q.q);
        const asPhone = normalizePhone(q.q);
        if (asId.ok) filter.idBidx = pii.blindIndex('id', asId.value.value);
        else if (asPhone.ok) filter.phoneBidx = pii.blindIndex('phone', asPhone.value);
        else filter.namePrefix = q.q;
      }
      const [total, rows] = await Promise.all([
        repo.countPeople(db, filter),
        repo.listPeople(db, filter, q.pageSize, (q.page - 1) * q.pageSize),
      ]);
      return { items: await withTags(db, rows), total, page: q.page, pageSize: q.pageSize };
    },

    async get(ctx: RequestContext, id: number): Promise<PersonDetail> {
      const actor = actorOf(ctx);
      const p = await loadIn(db, actor, id, 'people.read');
      const [summary] = await withTags(db, [p]);
      const household = p.household_id ? await repo.findHousehold(db, p.household_id) : undefined;
      const members = household ? await repo.householdMembers(db, household.id) : [];
      const history = await repo.historyOf(db, id);
      return {
        ...summary!,
        ethnicity: p.ethnicity,
        arrivalDate: p.arrival_date,
        originRegion: p.origin_region,
        noIdReason: (p.no_id_reason as PersonDetail['noIdReason']) ?? null,
        relationToHead: p.relation_to_head,
        notes: p.notes,
        mergedIntoId: p.merged_into_id,
        household: household
          ? {
              id: household.id,
              address: household.address,
              members: members.map((m) => ({
                id: m.id,
                name: m.name,
                relation: m.relation_to_head,
                isHead: household.head_person_id === m.id,
              })),
            }
          : null,
        history: history.map((h) => ({
          at: h.at,
          action: h.action,
          actor: h.actor_label,
          detail: h.detail ? (JSON.parse(h.detail) as unknown) : null,
        })),
        createdAt: p.created_at,
        updatedAt: p.updated_at,
        abilities: {
          update: can(actor, 'people.write', p.node_path) && p.merged_into_id === null,
          reveal: can(actor, 'people.reveal', p.node_path),
          merge: can(actor, 'people.merge', p.node_path) && p.merged_into_id === null,
          observe: can(actor, 'observations.manage', p.node_path) && p.merged_into_id === null,
        },
      };
    },

    async create(ctx: RequestContext, body: z.infer<typeof createPersonBody>) {
      const actor = actorOf(ctx);
      const id = await db.transaction().execute(async (trx) => {
        const node = await placeAt(trx, actor, body.nodeId);
        const tags = await checkTags(trx, body.tags);
        await checkHousehold(trx, actor, body.householdId);
        const prot = protectedColumns(pii, body.idNumber ?? null, body.phone ?? null);
        await assertNoDuplicate(trx, actor, prot.id_number_bidx);
        const now = nowIso();
        const row = newPersonRow(node, body, prot, now);
        const [personId] = await repo.insertPeople(trx, [row]);
        await repo.setTags(trx, personId!, tags);
        await repo.addHistory(trx, [
          { person_id: personId!, at: now, action: 'created', actor_label: actor.username, detail: null },
        ]);
        await recordAudit(trx, ctx, {
          action: 'person.create',
          entityType: 'person',
          entityId: personId!,
          nodePath: node.path,
          after: auditView(row),
        });
        return personId!;
      });
      return this.get(ctx, id);
    },

    async update(ctx: RequestContext, id: number, body: z.infer<typeof updatePersonBody>) {
      const actor = actorOf(ctx);
      await db.transaction().execute(async (trx) => {
        const p = await loadIn(trx, actor, id, 'people.write');
        if (p.merged_into_id !== null) throw conflict('person.merged');
        const set: Partial<PersonRow> = { updated_at: nowIso() };
        if (body.nodeId !== undefined && body.nodeId !== p.node_id) {
          const node = await placeAt(trx, actor, body.nodeId);
          set.node_id = node.id;
          set.node_path = node.path;
        }
        if (body.idNumber !== undefined || body.phone !== undefined) {
          Object.assign(set, protectedColumns(pii, body.idNumber, body.phone));
          await assertNoDuplicate(trx, actor, set.id_number_bidx, id);
          if (body.idNumber) {
            const d = parseIdNumber(body.idNumber);
            if (d.ok)
              Object.assign(set, {
                gender: d.value.gender,
                birth_date: d.value.birthDate,
                no_id_reason: null,
              });
          }
        }
        if (body.idNumber === null || (body.idNumber === undefined && !p.id_number_enc)) {
          const reason = body.noIdReason !== undefined ? body.noIdReason : p.no_id_reason;
          if (!reason)
            throw badRequest('validation_failed', {}, [
              { path: 'body.noIdReason', message: msg('issue.no_id_reason'), code: 'required' },
            ]);
        }
        await checkHousehold(trx, actor, body.householdId);
        const plain: [keyof typeof body, keyof PersonRow][] = [
          ['name', 'name'],
          ['gender', 'gender'],
          ['birthDate', 'birth_date'],
          ['ethnicity', 'ethnicity'],
          ['householdId', 'household_id'],
          ['relationToHead', 'relation_to_head'],
          ['address', 'address'],
          ['residenceType', 'residence_type'],
          ['arrivalDate', 'arrival_date'],
          ['originRegion', 'origin_region'],
          ['noIdReason', 'no_id_reason'],
          ['notes', 'notes'],
        ];
        for (const [k, col] of plain)
          if (body[k] !== undefined) (set as Record<string, unknown>)[col] = body[k];
        // A no-ID reason is kept only while there is no ID number.
        const hasId = set.id_number_enc !== undefined ? set.id_number_enc !== null : p.id_number_enc !== null;
        if (hasId) set.no_id_reason = null;
        await repo.updatePerson(trx, id, set);
        if (body.tags !== undefined) await repo.setTags(trx, id, await checkTags(trx, body.tags));
        const fields = Object.keys(body);
        await repo.addHistory(trx, [
          {
            person_id: id,
            at: set.updated_at!,
            action: 'updated',
            actor_label: actor.username,
            detail: JSON.stringify({ fields }),
          },
        ]);
        await recordAudit(trx, ctx, {
          action: 'person.update',
          entityType: 'person',
          entityId: id,
          nodePath: set.node_path ?? p.node_path,
          before: auditView(p),
          after: auditView({ ...p, ...set }),
          detail: { fields },
        });
      });
      return this.get(ctx, id);
    },

    /** The clear value of one sensitive field, once, with the reason recorded in the audit chain. */
    async reveal(ctx: RequestContext, id: number, field: SensitiveField, reason: string) {
      const actor = actorOf(ctx);
      return db.transaction().execute(async (trx) => {
        const p = await loadIn(trx, actor, id, 'people.reveal');
        const stored = field === 'idNumber' ? p.id_number_enc : p.phone_enc;
        const now = nowIso();
        await repo.addHistory(trx, [
          {
            person_id: id,
            at: now,
            action: 'revealed',
            actor_label: actor.username,
            detail: JSON.stringify({ field, reason }),
          },
        ]);
        await recordAudit(trx, ctx, {
          action: 'person.reveal',
          entityType: 'person',
          entityId: id,
          nodePath: p.node_path,
          detail: { field, reason },
        });
        return { field, value: stored ? pii.decrypt(stored) : null };
      });
    },

    /** Joins `otherId` into `id`: the survivor takes missing identity, tags and household; history kept on both. */
    async merge(ctx: RequestContext, id: number, otherId: number, reason: string) {
      const actor = actorOf(ctx);
      if (id === otherId)
        throw badRequest('person.merge_self', {}, [
          { path: 'body.otherId', message: msg('issue.same_person'), code: 'same' },
        ]);
      await db.transaction().execute(async (trx) => {
        const survivor = await loadIn(trx, actor, id, 'people.merge');
        const other = await loadIn(trx, actor, otherId, 'people.merge');
        if (survivor.merged_into_id !== null || other.merged_into_id !== null)
          throw conflict('person.merged');
        const now = nowIso();
        const set: Partial<PersonRow> = { updated_at: now };
        const take = <K extends keyof PersonRow>(...cols: K[]) => {
          for (const c of cols)
            if (survivor[c] === null && other[c] !== null) (set as Record<string, unknown>)[c] = other[c];
        };
        // The blind index is unique: the other record gives its identity up before the survivor takes it.
        const movesId = survivor.id_number_bidx === null && other.id_number_bidx !== null;
        await repo.updatePerson(trx, otherId, {
          merged_into_id: id,
          id_number_bidx: null,
          phone_bidx: null,
          updated_at: now,
        });
        if (movesId) take('id_number_enc', 'id_number_bidx', 'id_number_masked', 'gender', 'birth_date');
        take(
          'phone_enc',
          'phone_bidx',
          'phone_masked',
          'household_id',
          'relation_to_head',
          'address',
          'ethnicity',
          'origin_region',
          'arrival_date',
        );
        if (movesId) set.no_id_reason = null;
        await repo.updatePerson(trx, id, set);
        const otherTags = await repo.tagsOf(trx, [otherId]);
        await repo.insertTags(
          trx,
          otherTags.map((t) => ({ person_id: id, tag_code: t.tag_code })),
        );
        await trx
          .updateTable('households')
          .set({ head_person_id: id })
          .where('head_person_id', '=', otherId)
          .execute();
        await repo.addHistory(trx, [
          {
            person_id: id,
            at: now,
            action: 'merged_in',
            actor_label: actor.username,
            detail: JSON.stringify({ from: otherId, reason }),
          },
          {
            person_id: otherId,
            at: now,
            action: 'merged_into',
            actor_label: actor.username,
            detail: JSON.stringify({ into: id, reason }),
          },
        ]);
        await recordAudit(trx, ctx, {
          action: 'person.merge',
          entityType: 'person',
          entityId: id,
          nodePath: survivor.node_path,
          before: { survivor: auditView(survivor), other: auditView(other) },
          after: auditView({ ...survivor, ...set }),
          detail: { otherId, reason },
        });
      });
      return this.get(ctx, id);
    },

    /** The filtered list as XLSX: masked, or in clear with the reveal permission, a reason and an audit row. */
    async export(ctx: RequestContext, body: z.infer<typeof exportBody>) {
      const actor = actorOf(ctx);
      if (body.unmasked && !(body.reason && body.reason.length >= 2)) {
        throw badRequest('validation_failed', {}, [
          { path: 'body.reason', message: msg('issue.reason_required'), code: 'required' },
        ]);
      }
      const permission = body.unmasked ? 'people.reveal' : 'people.read';
      const filter: repo.PeopleFilter = {
        scopes: scopesFor(actor, permission),
        type: body.type,
        tags: body.tag,
      };
      let nodePath: string | null = null;
      if (body.node) {
        const node = await findNode(db, body.node);
        if (!node) throw notFound('node');
        if (!can(actor, permission, node.path)) throw forbidden();
        filter.under = nodePath = node.path;
      } else if (filter.scopes.length === 0) throw forbidden();
      if (body.q) {
        const asId = parseIdNumber(body.q);
        const asPhone = normalizePhone(body.q);
        if (asId.ok) filter.idBidx = pii.blindIndex('id', asId.value.value);
        else if (asPhone.ok) filter.phoneBidx = pii.blindIndex('phone', asPhone.value);
        else filter.namePrefix = body.q;
      }
      const rows = await repo.exportPeople(db, filter, EXPORT_LIMIT);
      const tags = await repo.listTags(db);
      const lang = ctx.lang ?? DEFAULT_LANG;
      const t = (code: MessageCode) => renderMessage(code, undefined, lang);
      const residenceLabel = (type: string) => {
        const code = `residence.${type}`;
        return isMessageCode(code) ? t(code) : type;
      };
      // Tags carry both names as data: the one of the language asked.
      const tagName = new Map(tags.map((tag) => [tag.code, lang === 'en' ? tag.name_en : tag.name_zh]));
      const tagRows: Awaited<ReturnType<typeof repo.tagsOf>> = [];
      for (let i = 0; i < rows.length; i += 5000)
        tagRows.push(
          ...(await repo.tagsOf(
            db,
            rows.slice(i, i + 5000).map((r) => r.id),
          )),
        );
      const tagsBy = new Map<number, string[]>();
      for (const t of tagRows)
        tagsBy.set(t.person_id, [...(tagsBy.get(t.person_id) ?? []), tagName.get(t.tag_code) ?? t.tag_code]);
      const buf = await writeWorkbook(
        t('export.sheet.people'),
        PEOPLE_EXPORT_COLUMNS.map(t),
        rows.map((r) => [
          r.name,
          body.unmasked && r.id_number_enc ? pii.decrypt(r.id_number_enc) : r.id_number_masked,
          body.unmasked && r.phone_enc ? pii.decrypt(r.phone_enc) : r.phone_masked,
          r.gender === 'male' ? t('gender.male') : r.gender === 'female' ? t('gender.female') : null,
          r.birth_date,
          residenceLabel(r.residence_type),
          r.node_name,
          r.node_full_code,
          r.address,
          r.ethnicity,
          r.origin_region,
          r.arrival_date,
          (tagsBy.get(r.id) ?? []).join(lang === 'en' ? ', ' : '、'),
        ]),
      );
      await db.transaction().execute((trx) =>
        recordAudit(trx, ctx, {
          action: body.unmasked ? 'person.export_unmasked' : 'person.export',
          entityType: 'person',
          nodePath,
          detail: {
            rows: rows.length,
            ...(body.unmasked ? { reason: body.reason } : {}),
            filters: { q: body.q ? '(set)' : undefined, type: body.type, tag: body.tag },
          },
        }),
      );
      return buf;
    },

    async households(ctx: RequestContext, q: z.infer<typeof listHouseholdsQuery>) {
      const actor = actorOf(ctx);
      let under: string | undefined;
      if (q.node) under = (await listNode(db, scopesFor(actor, 'people.read'), q.node)).path;
      const { total, rows } = await repo.listHouseholds(
        db,
        { scopes: scopesFor(actor, 'people.read'), under, q: q.q },
        q.pageSize,
        (q.page - 1) * q.pageSize,
      );
      return {
        items: rows.map((r) => ({
          id: r.id,
          address: r.address,
          node: { id: r.node_id, name: r.node_name },
          headName: r.head_name,
          memberCount: Number(r.member_count ?? 0),
        })),
        total,
        page: q.page,
        pageSize: q.pageSize,
      };
    },

    async household(ctx: RequestContext, id: number) {
      const actor = actorOf(ctx);
      const h = await repo.findHousehold(db, id);
      if (!h) throw notFound('household');
      assertCan(actor, 'people.read', h.node_path);
      const members = await repo.householdMembers(db, id);
      const summaries = await withTags(db, members);
      const head = members.find((m) => m.id === h.head_person_id);
      return {
        id: h.id,
        address: h.address,
        node: { id: h.node_id, name: h.node_name },
        headName: head?.name ?? null,
        memberCount: members.length,
        members: summaries.map((s, i) => ({
          ...s,
          relation: members[i]!.relation_to_head,
          isHead: s.id === h.head_person_id,
        })),
      };
    },

    async tags(): Promise<Tag[]> {
      return (await repo.listTags(db)).map((t) => ({
        code: t.code,
        nameZh: t.name_zh,
        nameEn: t.name_en,
        builtin: t.builtin === 1,
        retired: t.retired_at !== null,
      }));
    },

    async createTag(ctx: RequestContext, body: { code: string; nameZh: string; nameEn: string }) {
      assertDistrictWide(actorOf(ctx), 'tags.manage');
      await db.transaction().execute(async (trx) => {
        if ((await repo.listTags(trx)).some((t) => t.code === body.code)) {
          throw conflict(
            'tag.code_taken',
            { code: body.code },
            {
              issues: [{ path: 'body.code', message: msg('issue.taken'), code: 'taken' }],
            },
          );
        }
        await trx
          .insertInto('tags')
          .values({
            code: body.code,
            name_zh: body.nameZh,
            name_en: body.nameEn,
            builtin: 0,
            retired_at: null,
            created_at: nowIso(),
          })
          .execute();
        await recordAudit(trx, ctx, {
          action: 'tag.create',
          entityType: 'tag',
          entityId: body.code,
          after: body,
        });
      });
      return this.tags();
    },

    async updateTag(
      ctx: RequestContext,
      code: string,
      body: { nameZh?: string | undefined; nameEn?: string | undefined; retired?: boolean | undefined },
    ) {
      assertDistrictWide(actorOf(ctx), 'tags.manage');
      await db.transaction().execute(async (trx) => {
        const t = (await repo.listTags(trx)).find((x) => x.code === code);
        if (!t) throw notFound('tag');
        await trx
          .updateTable('tags')
          .set({
            ...(body.nameZh ? { name_zh: body.nameZh } : {}),
            ...(body.nameEn ? { name_en: body.nameEn } : {}),
            ...(body.retired === undefined ? {} : { retired_at: body.retired ? nowIso() : null }),
          })
          .where('code', '=', code)
          .execute();
        await recordAudit(trx, ctx, {
          action: 'tag.update',
          entityType: 'tag',
          entityId: code,
          before: t,
          after: body,
        });
      });
      return this.tags();
    },
  };
}

export type PeopleService = ReturnType<typeof createPeopleService>;
