// Imports people from XLSX/CSV as officials write them. Every row is checked before anything is
// written; then rows go in batches, one transaction each, with the job's progress and an audit row
// committed in the same transaction, so a crash leaves whole batches and says how far it got.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { ImportReport, PEOPLE_IMPORT_COLUMNS } from '../../../common/contracts/people.js';
import {
  NO_ID_LABELS,
  NO_ID_REASONS,
  PEOPLE_IMPORT_REQUIRED,
  RESIDENCE_LABELS,
  RESIDENCE_TYPES,
} from '../../../common/contracts/people.js';
import { isRealDate, normalizePhone, parseIdNumber } from '../../../common/validators.js';
import type { DB, Executor } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import type { ImportJobRow, NewPerson } from '../../db/schema.js';
import {
  actorOf,
  can,
  inScopes,
  scopesFor,
  commonAncestor,
  type Actor,
  type RequestContext,
} from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { forbidden, notFound } from '../../platform/errors.js';
import type { PiiCipher } from '../../platform/pii.js';
import { readTable, writeWorkbook, type Table } from '../../platform/tabular.js';
import * as repo from './people.repository.js';
import { PERSON_LEVELS, protectedColumns } from './people.service.js';

// Rows per transaction (IMPORT_BATCH_ROWS, default 2,000). Each batch writes every index page its rows
// touch once, so bigger batches cost less per row (500: 6.3k rows/s bare, 2,000: 8.8k, 5,000: 11k on
// the district table); but on SQLite other requests wait for the batch, so it stays near a quarter
// of a second (ADR 0002).
const MAX_ROWS = 300_000;
const REPORTED_ERRORS = 1000;
const HEAD_RELATIONS = new Set(['户主', '本人', 'head']);

type Mode = 'all-or-nothing' | 'valid-rows';
interface RowError {
  row: number;
  column: string;
  message: string;
}
/** A checked row, still in clear: it is encrypted when its batch is written, so that a large file
 * does not hold every ciphertext in memory at once. */
interface ValidRow {
  row: number;
  idNumber: string | null;
  idBidx: string | null;
  phone: string | null;
  person: Omit<
    NewPerson,
    | 'household_id'
    | 'id_number_enc'
    | 'id_number_bidx'
    | 'id_number_masked'
    | 'phone_enc'
    | 'phone_bidx'
    | 'phone_masked'
  >;
  tags: string[];
  householdKey: string | null;
  isHead: boolean;
}

const lookup = <T extends string>(
  entries: [T, { zh: string; en: string }][],
  extra: Record<string, T> = {},
) => {
  const m = new Map(Object.entries(extra));
  for (const [k, l] of entries) m.set(k, k).set(l.zh, k).set(l.en.toLowerCase(), k);
  return m;
};
const TYPE_BY_TEXT = lookup(
  RESIDENCE_TYPES.map((t) => [t, RESIDENCE_LABELS[t]]),
  {
    户籍: 'registered',
    常住: 'registered',
    流动: 'floating',
    外来: 'floating',
    返乡: 'returnee',
    返回: 'returnee',
  },
);
const NO_ID_BY_TEXT = lookup(
  NO_ID_REASONS.map((r) => [r, NO_ID_LABELS[r]]),
  { 儿童: 'child', 未成年: 'child', 外籍: 'foreigner' },
);

function jobReport(job: ImportJobRow): ImportReport {
  const errors = job.errors ? (JSON.parse(job.errors) as RowError[]) : [];
  return {
    jobId: job.id,
    status: job.status as ImportReport['status'],
    total: job.total,
    processed: job.processed,
    imported: job.imported,
    rejected: job.rejected,
    errors,
    errorWorkbook: job.error_rows_enc ? `/api/people/imports/${job.id}/errors.xlsx` : null,
  };
}

export function createPeopleImporter(deps: { db: DB; pii: PiiCipher; batchRows: number }) {
  const { db, pii, batchRows } = deps;

  const setJob = (x: Executor, id: number, set: Partial<ImportJobRow>) =>
    x.updateTable('import_jobs').set(set).where('id', '=', id).execute();
  const loadJob = async (id: number) =>
    db.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  /** Grids named in the file, by full code or by a name that is unique in the importer's scope. */
  async function resolveGrids(actor: Actor, table: Table) {
    const scopes = scopesFor(actor, 'people.import');
    const wanted = [...new Set(table.rows.map((r) => r.values['所属网格'] ?? '').filter(Boolean))];
    const byCode = new Map<string, { id: number; path: string; level: string; retired: boolean }>();
    const byName = new Map<string, { id: number; path: string; level: string; retired: boolean }[]>();
    for (let i = 0; i < wanted.length; i += 500) {
      const chunk = wanted.slice(i, i + 500);
      const rows = await db
        .selectFrom('nodes')
        .select(['id', 'path', 'level', 'full_code', 'name', 'retired_at'])
        .where((eb) =>
          eb.or([
            eb('full_code', 'in', chunk),
            eb.and([eb('name', 'in', chunk), inScopes(eb, 'path', scopes)]),
          ]),
        )
        .execute();
      for (const n of rows) {
        const v = { id: n.id, path: n.path, level: n.level, retired: n.retired_at !== null };
        if (chunk.includes(n.full_code)) byCode.set(n.full_code, v);
        if (chunk.includes(n.name)) byName.set(n.name, [...(byName.get(n.name) ?? []), v]);
      }
    }
    return { byCode, byName };
  }

  async function validate(actor: Actor, table: Table) {
    const errors: RowError[] = [];
    const valid: ValidRow[] = [];
    const { byCode, byName } = await resolveGrids(actor, table);
    const tags = await repo.listTags(db);
    const tagByText = new Map<string, string>();
    for (const t of tags)
      if (!t.retired_at)
        tagByText.set(t.code, t.code).set(t.name_zh, t.code).set(t.name_en.toLowerCase(), t.code);
    const seenIds = new Map<string, number>();
    const now = nowIso();
    const today = now.slice(0, 10);
    let n = 0;
    for (const { row, values } of table.rows) {
      // Let other requests run between chunks of a large file.
      if (++n % 5000 === 0) await yieldToLoop();
      const before = errors.length;
      const err = (column: string, message: string) => errors.push({ row, column, message });
      const v = (k: (typeof PEOPLE_IMPORT_COLUMNS)[number]) => (values[k] ?? '').trim();
      const name = v('姓名');
      if (!name) err('姓名', '姓名必填 name is required');
      else if (name.length > 100) err('姓名', '姓名过长 name longer than 100');
      let idNumber: string | null = null;
      let gender: string | null = null;
      let birthDate: string | null = null;
      let noIdReason: string | null = null;
      if (v('身份证号')) {
        const r = parseIdNumber(v('身份证号'), today);
        if (!r.ok) err('身份证号', r.reason);
        else {
          idNumber = r.value.value;
          gender = r.value.gender;
          birthDate = r.value.birthDate;
          const first = seenIds.get(idNumber);
          if (first !== undefined) err('身份证号', `与第${first}行重复 same as row ${first}`);
          else seenIds.set(idNumber, row);
        }
      } else {
        noIdReason =
          NO_ID_BY_TEXT.get(v('无证原因').toLowerCase()) ?? NO_ID_BY_TEXT.get(v('无证原因')) ?? null;
        if (!noIdReason)
          err(
            v('无证原因') ? '无证原因' : '身份证号',
            '无身份证号时须填写有效的无证原因 an ID number or a valid no-ID reason is required',
          );
      }
      let phone: string | null = null;
      if (v('手机号')) {
        const r = normalizePhone(v('手机号'));
        if (r.ok) phone = r.value;
        else err('手机号', r.reason);
      }
      const gridText = v('所属网格');
      let grid = byCode.get(gridText);
      if (!grid && gridText) {
        const named = byName.get(gridText) ?? [];
        if (named.length > 1)
          err('所属网格', `网格名称不唯一，请填写编码 grid name is ambiguous, use its code`);
        grid = named[0];
      }
      if (!gridText) err('所属网格', '所属网格必填 grid is required');
      // One message for unknown and out-of-scope grids, so the import does not tell which codes exist.
      else if (!grid || !can(actor, 'people.import', grid.path))
        err('所属网格', '网格不存在或不在您的辖区 unknown grid or outside your jurisdiction');
      else if (!PERSON_LEVELS.has(grid.level) || grid.retired)
        err('所属网格', '不是有效网格 not an active grid');
      const type = TYPE_BY_TEXT.get(v('人员类型')) ?? TYPE_BY_TEXT.get(v('人员类型').toLowerCase());
      if (!type)
        err(
          '人员类型',
          '人员类型应为 户籍人口/流动人口/返乡人员 residence type must be registered, floating or returnee',
        );
      const tagCodes: string[] = [];
      for (const t of v('标签')
        .split(/[,，、;；\s]+/)
        .filter(Boolean)) {
        const code = tagByText.get(t) ?? tagByText.get(t.toLowerCase());
        if (code) tagCodes.push(code);
        else err('标签', '未知标签 unknown tag');
      }
      const arrival = v('到达日期');
      if (arrival && !isRealDate(arrival))
        err('到达日期', '日期应为 YYYY-MM-DD 的真实日期 a real date as YYYY-MM-DD');
      for (const [col, max] of [
        ['现住址', 200],
        ['民族', 20],
        ['来源地', 100],
        ['备注', 2000],
        ['户号', 50],
        ['与户主关系', 20],
      ] as const) {
        if (v(col).length > max) err(col, `超过${max}字 longer than ${max}`);
      }
      if (errors.length > before || !grid || !type) continue;
      valid.push({
        row,
        idNumber,
        idBidx: idNumber ? pii.blindIndex('id', idNumber) : null,
        phone,
        person: {
          node_id: grid.id,
          node_path: grid.path,
          name,
          gender,
          birth_date: birthDate,
          ethnicity: v('民族') || null,
          relation_to_head: v('与户主关系') || null,
          address: v('现住址') || null,
          residence_type: type,
          arrival_date: arrival || null,
          origin_region: v('来源地') || null,
          no_id_reason: noIdReason,
          notes: v('备注') || null,
          merged_into_id: null,
          created_at: now,
          updated_at: now,
        },
        tags: [...new Set(tagCodes)],
        householdKey: v('户号') || null,
        isHead: HEAD_RELATIONS.has(v('与户主关系')),
      });
    }
    // Already registered: the blind index finds them without decrypting anything.
    const stillValid: ValidRow[] = [];
    const bidxs = valid.map((r) => r.idBidx).filter((b): b is string => b !== null);
    const existing = new Map<string, { id: number; path: string }>();
    for (let i = 0; i < bidxs.length; i += 500) {
      for (const p of await repo.findByIdBidx(db, bidxs.slice(i, i + 500)))
        existing.set(p.id_number_bidx!, { id: p.id, path: p.node_path });
    }
    for (const r of valid) {
      const found = r.idBidx ? existing.get(r.idBidx) : undefined;
      if (found) {
        // Name the record only to someone who may read it.
        const message = can(actor, 'people.read', found.path)
          ? `已登记（人员 #${found.id}） already registered`
          : '已在其他辖区登记 already registered elsewhere';
        errors.push({ row: r.row, column: '身份证号', message });
      } else stillValid.push(r);
    }
    errors.sort((a, b) => a.row - b.row);
    return { errors, valid: stillValid };
  }

  async function writeBatches(ctx: RequestContext, jobId: number, valid: ValidRow[], filename: string) {
    const actor = actorOf(ctx);
    const households = new Map<string, number>();
    const history = JSON.stringify({ job: jobId, file: filename });
    let imported = 0;
    for (let i = 0; i < valid.length; i += batchRows) {
      const batch = valid.slice(i, i + batchRows);
      const now = nowIso();
      const rows = batch.map((r) => ({
        ...r.person,
        id_number_enc: null,
        id_number_bidx: null,
        id_number_masked: null,
        phone_enc: null,
        phone_bidx: null,
        phone_masked: null,
        ...protectedColumns(pii, r.idNumber, r.phone, r.idBidx),
        household_id: null as number | null,
      }));
      await db.transaction().execute(async (trx) => {
        // A household is created by its first member's batch; later members join it.
        const fresh = [
          ...new Map(
            batch
              .filter((r) => r.householdKey && !households.has(r.householdKey))
              .map((r) => [r.householdKey!, r]),
          ).values(),
        ];
        const freshIds = await repo.insertHouseholds(
          trx,
          fresh.map((r) => ({
            node_id: r.person.node_id,
            node_path: r.person.node_path,
            address: r.person.address ?? null,
          })),
          now,
        );
        fresh.forEach((r, k) => households.set(r.householdKey!, freshIds[k]!));
        batch.forEach(
          (r, j) => (rows[j]!.household_id = r.householdKey ? households.get(r.householdKey)! : null),
        );
        const ids = await repo.insertPeople(trx, rows);
        await repo.insertTags(
          trx,
          batch.flatMap((r, j) => r.tags.map((t) => ({ person_id: ids[j]!, tag_code: t }))),
        );
        await repo.setHouseholdHeads(
          trx,
          batch.flatMap((r, j) =>
            r.isHead && r.householdKey
              ? [{ householdId: households.get(r.householdKey)!, personId: ids[j]! }]
              : [],
          ),
          now,
        );
        await repo.addHistory(
          trx,
          ids.map((id) => ({
            person_id: id,
            at: now,
            action: 'imported',
            actor_label: actor.username,
            detail: history,
          })),
        );
        imported += batch.length;
        await setJob(trx, jobId, { processed: imported, imported });
        await recordAudit(trx, ctx, {
          action: 'person.import_batch',
          entityType: 'import_job',
          entityId: jobId,
          nodePath: commonAncestor(batch.map((r) => r.person.node_path)),
          detail: {
            job: jobId,
            rows: batch.length,
            fromRow: batch[0]!.row,
            toRow: batch.at(-1)!.row,
            importedSoFar: imported,
          },
        });
      });
      await yieldToLoop();
    }
    return imported;
  }

  return {
    async run(
      ctx: RequestContext,
      file: { filename: string; data: Buffer },
      mode: Mode,
      ref: string | null,
    ): Promise<ImportReport> {
      const actor = actorOf(ctx);
      if (scopesFor(actor, 'people.import').length === 0) throw forbidden();
      const { id: jobId } = await db
        .insertInto('import_jobs')
        .values({
          kind: 'people',
          ref,
          status: 'validating',
          filename: file.filename.slice(0, 200),
          mode,
          total: 0,
          processed: 0,
          imported: 0,
          rejected: 0,
          errors: null,
          error_rows_enc: null,
          created_by: actor.userId,
          created_at: nowIso(),
          finished_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      let table: Table;
      try {
        // Header first, rows and every other limit while the file streams (ADR 0009).
        table = await readTable(file.filename, file.data, {
          rows: MAX_ROWS,
          required: PEOPLE_IMPORT_REQUIRED,
        });
      } catch (e) {
        await setJob(db, jobId, { status: 'failed', finished_at: nowIso() });
        throw e;
      }
      await setJob(db, jobId, { total: table.rows.length });
      const { errors, valid } = await validate(actor, table);
      const badRows = new Set(errors.map((e) => e.row));
      const errorRows = table.rows
        .filter((r) => badRows.has(r.row))
        .map((r) => ({
          ...r,
          message: errors
            .filter((e) => e.row === r.row)
            .map((e) => `${e.column}: ${e.message}`)
            .join('; '),
        }));
      await setJob(db, jobId, {
        rejected: badRows.size,
        errors: JSON.stringify(errors.slice(0, REPORTED_ERRORS)),
        error_rows_enc:
          errorRows.length > 0
            ? pii.encrypt(JSON.stringify({ headers: table.headers, rows: errorRows }))
            : null,
      });
      if (mode === 'all-or-nothing' && errors.length > 0) {
        await db.transaction().execute(async (trx) => {
          await setJob(trx, jobId, { status: 'rejected', finished_at: nowIso() });
          await recordAudit(trx, ctx, {
            action: 'person.import',
            entityType: 'import_job',
            entityId: jobId,
            detail: {
              file: file.filename,
              mode,
              total: table.rows.length,
              imported: 0,
              rejected: badRows.size,
              outcome: 'rejected',
            },
          });
        });
        return jobReport(await loadJob(jobId));
      }
      await setJob(db, jobId, { status: 'importing' });
      const imported = await writeBatches(ctx, jobId, valid, file.filename.slice(0, 200));
      await db.transaction().execute(async (trx) => {
        await setJob(trx, jobId, { status: 'done', finished_at: nowIso() });
        await recordAudit(trx, ctx, {
          action: 'person.import',
          entityType: 'import_job',
          entityId: jobId,
          nodePath: commonAncestor(valid.map((r) => r.person.node_path)),
          detail: {
            file: file.filename,
            mode,
            total: table.rows.length,
            imported,
            rejected: badRows.size,
            outcome: 'done',
          },
        });
      });
      return jobReport(await loadJob(jobId));
    },

    async progress(ctx: RequestContext, ref: string): Promise<ImportReport> {
      const actor = actorOf(ctx);
      const job = await db
        .selectFrom('import_jobs')
        .selectAll()
        .where('created_by', '=', actor.userId)
        .where('ref', '=', ref)
        .orderBy('id', 'desc')
        .executeTakeFirst();
      if (!job) throw notFound('Import');
      return jobReport(job);
    },

    /** The bad rows as the user sent them, with an error column: only for the one who imported. */
    async errorWorkbook(ctx: RequestContext, jobId: number) {
      const actor = actorOf(ctx);
      const job = await db.selectFrom('import_jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
      if (!job || job.created_by !== actor.userId) throw notFound('Import');
      if (!job.error_rows_enc) throw notFound('Error rows');
      const { headers, rows } = JSON.parse(pii.decrypt(job.error_rows_enc)) as {
        headers: string[];
        rows: { row: number; values: Record<string, string>; message: string }[];
      };
      return writeWorkbook(
        '错误行 errors',
        ['行号 row', ...headers, '错误 error'],
        rows.map((r) => [r.row, ...headers.map((h) => r.values[h] ?? ''), r.message]),
      );
    },
  };
}

/** At start-up: imports that were running when the process stopped are marked as interrupted. */
export async function markInterruptedImports(db: Executor) {
  await db
    .updateTable('import_jobs')
    .set({ status: 'interrupted', finished_at: nowIso() })
    .where('status', 'in', ['validating', 'importing'])
    .execute();
}

export type PeopleImporter = ReturnType<typeof createPeopleImporter>;
