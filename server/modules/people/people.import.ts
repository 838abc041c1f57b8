// Imports people from XLSX/CSV as officials write them. Every row is checked before anything is
// written; then rows go in batches, one transaction each, with the job's progress and an audit row
// committed in the same transaction, so a crash leaves whole batches and says how far it got.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import {
  DEFAULT_LANG,
  msg,
  renderMessage,
  type Lang,
  type Message,
  type MessageCode,
} from '../../../common/messages/index.js';
import type { ImportReport } from '../../../common/contracts/people.js';
import {
  NO_ID_LABELS,
  NO_ID_REASONS,
  PEOPLE_IMPORT_ALIASES,
  PEOPLE_IMPORT_COLUMNS,
  PEOPLE_IMPORT_DATES,
  PEOPLE_IMPORT_REQUIRED,
  RESIDENCE_LABELS,
  RESIDENCE_TYPES,
} from '../../../common/contracts/people.js';
import { isRealDate, normalizePhone, parseIdNumber } from '../../../common/validators.js';
import type { DB, Executor } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import { withBulkWrites } from '../../db/dialect.js';
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
import {
  countTableRows,
  openTable,
  skippedReport,
  writeWorkbook,
  type SkippedRow,
  type TableOptions,
  type TableRow,
  type TableStream,
} from '../../platform/tabular.js';
import * as repo from './people.repository.js';
import { PERSON_LEVELS, protectedColumns } from './people.service.js';

// Rows per transaction (IMPORT_BATCH_ROWS, default 2,000). Each batch writes every index page its rows
// touch once, so bigger batches cost less per row (500: 6.3k rows/s bare, 2,000: 8.8k, 5,000: 11k on
// the district table); but on SQLite other requests wait for the batch, so it stays near a quarter
// of a second (ADR 0002).
const MAX_ROWS = 300_000;
const REPORTED_ERRORS = 1000;
/** Bad rows kept, as sent, for the error workbook: a file with more is wrong throughout. */
const ERROR_ROWS = 10_000;
const HEAD_RELATIONS = new Set(['户主', '本人', 'head']);
/** How the file is read: the header found below a title, columns by their usual other names,
 * arrival dates in whatever form the sheet holds them (the row limit is the importer's own). */
const TABLE: TableOptions = {
  rows: MAX_ROWS,
  known: PEOPLE_IMPORT_COLUMNS,
  aliases: PEOPLE_IMPORT_ALIASES,
  required: PEOPLE_IMPORT_REQUIRED,
  dates: PEOPLE_IMPORT_DATES,
};
/** A number as a CSV saved from Excel writes one too long for its column (3.30112E+17): the digits
 * past the first few are gone. */
const SCIENTIFIC = /^[+-]?\d+(?:\.\d+)?e[+-]?\d+$/i;

type Mode = 'all-or-nothing' | 'valid-rows';
/** A row's error as kept in the job: a message code and its parameters, rendered when read. Jobs
 * written before codes were kept carry a `message` sentence instead. */
interface RowError {
  row: number;
  column: string;
  code?: MessageCode;
  params?: Message['params'];
  message?: string;
}
const rowErrorText = (e: RowError, lang: Lang) =>
  e.code ? renderMessage(e.code, e.params, lang) : (e.message ?? '');
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

function jobReport(job: ImportJobRow, lang: Lang): ImportReport {
  const errors = (job.errors ? (JSON.parse(job.errors) as RowError[]) : []).map((e) => ({
    row: e.row,
    column: e.column,
    message: rowErrorText(e, lang),
  }));
  const skipped = job.skipped
    ? (JSON.parse(job.skipped) as { total: number; rows: SkippedRow[] })
    : { total: 0, rows: [] };
  return {
    jobId: job.id,
    status: job.status as ImportReport['status'],
    total: job.total,
    processed: job.processed,
    imported: job.imported,
    rejected: job.rejected,
    errors,
    errorWorkbook: job.error_rows_enc ? `/api/people/imports/${job.id}/errors.xlsx` : null,
    skipped: skippedReport(skipped, lang),
  };
}

/**
 * Where an import's time goes, phase by phase (milliseconds added up over the run): given only by
 * the bench (`npm run bench -- people`), absent in the app. Phases are timed per batch, never per
 * row, so the stopwatch costs nothing measurable.
 */
export type ImportPhases = Record<string, number>;

export function createPeopleImporter(deps: {
  db: DB;
  pii: PiiCipher;
  batchRows: number;
  phases?: ImportPhases;
}) {
  const { db, pii, batchRows, phases } = deps;
  const add = (phase: string, ms: number) => {
    if (phases) phases[phase] = (phases[phase] ?? 0) + ms;
  };
  /** Runs `fn`, adding its time to `phase` when the caller asked for phases. */
  const timed = async <T>(phase: string, fn: () => T | Promise<T>): Promise<T> => {
    if (!phases) return fn();
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      add(phase, performance.now() - t0);
    }
  };
  /** The batches of a stream, with the time spent waiting for each (reading and parsing) added to `phase`. */
  async function* timedBatches(stream: TableStream, phase: string) {
    const it = stream.batches[Symbol.asyncIterator]();
    for (;;) {
      const next = await timed(phase, () => it.next());
      if (next.done) return;
      yield next.value;
    }
  }

  const setJob = (x: Executor, id: number, set: Partial<ImportJobRow>) =>
    x.updateTable('import_jobs').set(set).where('id', '=', id).execute();
  const loadJob = async (id: number) =>
    db.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  type GridRef = { id: number; path: string; level: string; retired: boolean };

  /**
   * The checks of one file, row by row: grids named in it (by full code, or by a name unique in the
   * importer's scope) are looked up once per new text and kept; tags once. The same checker checks
   * a row again on the write pass and gets the same answer.
   */
  async function checker(actor: Actor) {
    const scopes = scopesFor(actor, 'people.import');
    const byCode = new Map<string, GridRef>();
    const byName = new Map<string, GridRef[]>();
    const looked = new Set<string>();
    const tagByText = new Map<string, string>();
    for (const t of await repo.listTags(db))
      if (!t.retired_at)
        tagByText.set(t.code, t.code).set(t.name_zh, t.code).set(t.name_en.toLowerCase(), t.code);
    const now = nowIso();
    const today = now.slice(0, 10);

    /** Looks up the grid texts of a batch not seen before. */
    async function resolveGrids(rows: readonly TableRow[]) {
      const wanted = [
        ...new Set(rows.map((r) => r.values['所属网格'] ?? '').filter((g) => g && !looked.has(g))),
      ];
      for (let i = 0; i < wanted.length; i += 500) {
        const chunk = wanted.slice(i, i + 500);
        chunk.forEach((g) => looked.add(g));
        const found = await db
          .selectFrom('nodes')
          .select(['id', 'path', 'level', 'full_code', 'name', 'retired_at'])
          .where((eb) =>
            eb.or([
              eb('full_code', 'in', chunk),
              eb.and([eb('name', 'in', chunk), inScopes(eb, 'path', scopes)]),
            ]),
          )
          .execute();
        for (const n of found) {
          const v = { id: n.id, path: n.path, level: n.level, retired: n.retired_at !== null };
          if (chunk.includes(n.full_code)) byCode.set(n.full_code, v);
          if (chunk.includes(n.name)) byName.set(n.name, [...(byName.get(n.name) ?? []), v]);
        }
      }
    }

    /** One row's errors, and the row ready to write when it has none. With `seenIds`, an ID number
     * seen on an earlier row is an error; people already registered are checked by the caller. */
    function checkRow(
      { row, values, numeric }: TableRow,
      seenIds?: Map<string, number>,
    ): { errors: RowError[]; valid: ValidRow | null } {
      const errors: RowError[] = [];
      const err = (column: string, m: Message) => errors.push({ row, column, ...m });
      const v = (k: (typeof PEOPLE_IMPORT_COLUMNS)[number]) => (values[k] ?? '').trim();
      const name = v('姓名');
      if (!name) err('姓名', msg('import_row.required', { column: '姓名' }));
      else if (name.length > 100) err('姓名', msg('import_row.too_long', { column: '姓名', max: 100 }));
      let idNumber: string | null = null;
      let gender: string | null = null;
      let birthDate: string | null = null;
      let noIdReason: string | null = null;
      // An ID number the sheet held as a number has lost its last digits, even when what is left
      // passes the check (one time in eleven): refused, never guessed at.
      const lostDigits = (column: '身份证号' | '手机号') =>
        (column === '身份证号' && numeric?.includes(column)) || SCIENTIFIC.test(v(column));
      if (v('身份证号') && lostDigits('身份证号')) {
        err('身份证号', msg('import_row.number_lost_digits', { column: '身份证号' }));
      } else if (v('身份证号')) {
        const r = parseIdNumber(v('身份证号'), today);
        if (!r.ok) err('身份证号', msg(r.reason));
        else {
          idNumber = r.value.value;
          gender = r.value.gender;
          birthDate = r.value.birthDate;
          const first = seenIds?.get(idNumber);
          if (first !== undefined) err('身份证号', msg('import_row.duplicate_row', { row: first }));
          // A copy: the number as read is a slice of the whole decoded file, which the slice would
          // keep alive for as long as the map holds it (ADR 0009). V8 keeps a short substring as a
          // "sliced string" pointing into its parent; concatenating and slicing again gives a string
          // of its own. Not a no-op to simplify away.
          else seenIds?.set((' ' + idNumber).slice(1), row);
        }
      } else {
        noIdReason =
          NO_ID_BY_TEXT.get(v('无证原因').toLowerCase()) ?? NO_ID_BY_TEXT.get(v('无证原因')) ?? null;
        if (!noIdReason) err(v('无证原因') ? '无证原因' : '身份证号', msg('import_row.no_id_reason'));
      }
      let phone: string | null = null;
      // A mobile number's 11 digits survive as a number; written as 1.38E+10 they do not.
      if (v('手机号') && lostDigits('手机号')) {
        err('手机号', msg('import_row.number_lost_digits', { column: '手机号' }));
      } else if (v('手机号')) {
        const r = normalizePhone(v('手机号'));
        if (r.ok) phone = r.value;
        else err('手机号', msg(r.reason));
      }
      const gridText = v('所属网格');
      let grid = byCode.get(gridText);
      if (!grid && gridText) {
        const named = byName.get(gridText) ?? [];
        if (named.length > 1) err('所属网格', msg('import_row.grid_ambiguous'));
        grid = named[0];
      }
      if (!gridText) err('所属网格', msg('import_row.required', { column: '所属网格' }));
      // One message for unknown and out-of-scope grids, so the import does not tell which codes exist.
      else if (!grid || !can(actor, 'people.import', grid.path))
        err('所属网格', msg('import_row.grid_unknown'));
      else if (!PERSON_LEVELS.has(grid.level) || grid.retired)
        err('所属网格', msg('import_row.grid_inactive'));
      const type = TYPE_BY_TEXT.get(v('人员类型')) ?? TYPE_BY_TEXT.get(v('人员类型').toLowerCase());
      if (!type) err('人员类型', msg('import_row.residence_type'));
      const tagCodes: string[] = [];
      for (const t of v('标签')
        .split(/[,，、;；\s]+/)
        .filter(Boolean)) {
        const code = tagByText.get(t) ?? tagByText.get(t.toLowerCase());
        if (code) tagCodes.push(code);
        else err('标签', msg('import_row.unknown_tag'));
      }
      const arrival = v('到达日期');
      if (arrival && !isRealDate(arrival)) err('到达日期', msg('import_row.real_date'));
      for (const [col, max] of [
        ['现住址', 200],
        ['民族', 20],
        ['来源地', 100],
        ['备注', 2000],
        ['户号', 50],
        ['与户主关系', 20],
      ] as const) {
        if (v(col).length > max) err(col, msg('import_row.too_long', { column: col, max }));
      }
      if (errors.length > 0 || !grid || !type) return { errors, valid: null };
      return {
        errors,
        valid: {
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
        },
      };
    }
    return { resolveGrids, checkRow };
  }

  /**
   * The checking pass: every row of the file, batch by batch as it streams, without keeping the
   * rows — only the first errors (REPORTED_ERRORS), the first bad rows as sent (ERROR_ROWS, for the
   * error workbook), the numbers of all bad rows, and the ID numbers seen (duplicates within the
   * file) (ADR 0009).
   */
  async function checkFile(actor: Actor, stream: TableStream, check: Awaited<ReturnType<typeof checker>>) {
    const errors: RowError[] = [];
    const errorRows: { row: number; values: Record<string, string>; errors: Omit<RowError, 'row'>[] }[] = [];
    const badRows = new Set<number>();
    const seenIds = new Map<string, number>();
    let total = 0;
    for await (const batch of timedBatches(stream, 'check: read the file')) {
      total += batch.length;
      await timed('check: look up grids', () => check.resolveGrids(batch));
      const good: ValidRow[] = [];
      const batchErrors = new Map<TableRow, RowError[]>();
      await timed('check: check rows (with blind index)', () => {
        for (const r of batch) {
          const { errors: rowErrors, valid: v } = check.checkRow(r, seenIds);
          if (rowErrors.length > 0 || !v) batchErrors.set(r, rowErrors);
          else good.push(v);
        }
      });
      // Already registered: the blind index finds them without decrypting anything.
      const bidxs = good.map((r) => r.idBidx).filter((b): b is string => b !== null);
      const existing = new Map<string, { id: number; path: string }>();
      await timed('check: look up registered people', async () => {
        for (let i = 0; i < bidxs.length; i += 500) {
          for (const p of await repo.findByIdBidx(db, bidxs.slice(i, i + 500)))
            existing.set(p.id_number_bidx!, { id: p.id, path: p.node_path });
        }
      });
      const byRow = new Map(batch.map((r) => [r.row, r]));
      for (const r of good) {
        const found = r.idBidx ? existing.get(r.idBidx) : undefined;
        if (!found) continue;
        // Name the record only to someone who may read it.
        const m = can(actor, 'people.read', found.path)
          ? msg('import_row.registered', { id: found.id })
          : msg('import_row.registered_elsewhere');
        batchErrors.set(byRow.get(r.row)!, [{ row: r.row, column: '身份证号', ...m }]);
      }
      // Batches come in row order; within one, the bad rows are put in order here.
      for (const [r, rowErrors] of [...batchErrors].sort(([a], [b]) => a.row - b.row)) {
        badRows.add(r.row);
        for (const e of rowErrors) if (errors.length < REPORTED_ERRORS) errors.push(e);
        if (errorRows.length < ERROR_ROWS) {
          const kept = rowErrors.map(({ column, code, params }) => ({ column, code, params }));
          errorRows.push({ row: r.row, values: r.values, errors: kept });
        }
      }
      // Let other requests run between batches of a large file.
      await yieldToLoop();
    }
    return { errors, errorRows, badRows, total };
  }

  async function writeBatch(
    ctx: RequestContext,
    jobId: number,
    batch: ValidRow[],
    households: Map<string, number>,
    history: string,
    importedSoFar: number,
  ) {
    const actor = actorOf(ctx);
    const now = nowIso();
    const rows = await timed('write: build rows (with encryption)', () =>
      batch.map((r) => ({
        ...r.person,
        id_number_enc: null,
        id_number_bidx: null,
        id_number_masked: null,
        phone_enc: null,
        phone_bidx: null,
        phone_masked: null,
        ...protectedColumns(pii, r.idNumber, r.phone, r.idBidx),
        household_id: null as number | null,
      })),
    );
    const imported = importedSoFar + batch.length;
    const inside = performance.now();
    let insideMs = 0;
    await db.transaction().execute(async (trx) => {
      const t0 = performance.now();
      // A household is created by its first member's batch; later members join it.
      const fresh = [
        ...new Map(
          batch
            .filter((r) => r.householdKey && !households.has(r.householdKey))
            .map((r) => [r.householdKey!, r]),
        ).values(),
      ];
      const freshIds = await timed('write: insert households', () =>
        repo.insertHouseholds(
          trx,
          fresh.map((r) => ({
            node_id: r.person.node_id,
            node_path: r.person.node_path,
            address: r.person.address ?? null,
          })),
          now,
        ),
      );
      fresh.forEach((r, k) => households.set(r.householdKey!, freshIds[k]!));
      batch.forEach(
        (r, j) => (rows[j]!.household_id = r.householdKey ? households.get(r.householdKey)! : null),
      );
      const ids = await timed('write: insert persons', () => repo.insertPeople(trx, rows));
      await timed('write: insert tags', () =>
        repo.insertTags(
          trx,
          batch.flatMap((r, j) => r.tags.map((t) => ({ person_id: ids[j]!, tag_code: t }))),
        ),
      );
      await timed('write: set household heads', () =>
        repo.setHouseholdHeads(
          trx,
          batch.flatMap((r, j) =>
            r.isHead && r.householdKey
              ? [{ householdId: households.get(r.householdKey)!, personId: ids[j]! }]
              : [],
          ),
          now,
        ),
      );
      await timed('write: insert person history', () =>
        repo.addHistory(
          trx,
          ids.map((id) => ({
            person_id: id,
            at: now,
            action: 'imported',
            actor_label: actor.username,
            detail: history,
          })),
        ),
      );
      const jobAndAudit = performance.now();
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
      add('write: job progress + audit row', performance.now() - jobAndAudit);
      insideMs = performance.now() - t0;
    });
    // What the transaction cost outside its callback: begin and commit (on SQLite, the WAL's fsync
    // and any checkpoint the commit runs).
    add('write: begin + commit', performance.now() - inside - insideMs);
    return imported;
  }

  /**
   * The writing pass: the file is read again and its good rows (every row the checking pass did not
   * refuse) are checked again with the same checker, which answers the same, and written in
   * batches. Only one batch is held at a time.
   */
  async function writeFile(
    ctx: RequestContext,
    jobId: number,
    stream: TableStream,
    check: Awaited<ReturnType<typeof checker>>,
    badRows: ReadonlySet<number>,
    filename: string,
  ) {
    const households = new Map<string, number>();
    const history = JSON.stringify({ job: jobId, file: filename });
    const paths = new Set<string>();
    let imported = 0;
    let pending: ValidRow[] = [];
    const again = 'write: check rows again (with blind index)';
    for await (const batch of timedBatches(stream, 'write: read the file again')) {
      let t0 = performance.now();
      for (const r of batch) {
        if (badRows.has(r.row)) continue;
        const { valid } = check.checkRow(r);
        if (!valid) throw new Error(`row ${r.row} passed the checks once and not the second time`);
        pending.push(valid);
        paths.add(valid.person.node_path);
        if (pending.length === batchRows) {
          add(again, performance.now() - t0);
          imported = await writeBatch(ctx, jobId, pending, households, history, imported);
          pending = [];
          await yieldToLoop();
          t0 = performance.now();
        }
      }
      add(again, performance.now() - t0);
    }
    if (pending.length > 0) imported = await writeBatch(ctx, jobId, pending, households, history, imported);
    return { imported, nodePath: commonAncestor([...paths]) };
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
          skipped: null,
          created_by: actor.userId,
          created_at: nowIso(),
          finished_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // Header first, rows and every other limit while the file streams (ADR 0009).
      const open = () => openTable(file.filename, file.data, TABLE);
      const check = await checker(actor);
      let headers: string[];
      let skipped: TableStream['skipped'];
      let checked: Awaited<ReturnType<typeof checkFile>>;
      try {
        // The header first; then every limit over the whole file, keeping nothing, so that a bomb
        // is refused before any row is checked.
        const stream = await open();
        headers = stream.headers;
        skipped = stream.skipped;
        const total = await timed('limits: count the rows', () =>
          countTableRows(file.filename, file.data, TABLE),
        );
        await setJob(db, jobId, { total });
        checked = await checkFile(actor, stream, check);
      } catch (e) {
        await setJob(db, jobId, { status: 'failed', finished_at: nowIso() });
        throw e;
      }
      const { errors, errorRows, badRows, total } = checked;
      await setJob(db, jobId, {
        total,
        rejected: badRows.size,
        errors: JSON.stringify(errors),
        error_rows_enc:
          errorRows.length > 0 ? pii.encrypt(JSON.stringify({ headers, rows: errorRows })) : null,
        skipped: JSON.stringify(skipped),
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
              total,
              imported: 0,
              rejected: badRows.size,
              outcome: 'rejected',
            },
          });
        });
        return jobReport(await loadJob(jobId), ctx.lang ?? DEFAULT_LANG);
      }
      await setJob(db, jobId, { status: 'importing' });
      // Checkpoints put off until the last batch is in (ADR 0009); the one at the end is timed apart.
      let writingMs = 0;
      const { imported, nodePath } = await timed('write: checkpoint at the end', () =>
        withBulkWrites(db, async () => {
          const t0 = performance.now();
          const out = await writeFile(ctx, jobId, await open(), check, badRows, file.filename.slice(0, 200));
          writingMs = performance.now() - t0;
          return out;
        }),
      );
      add('write: checkpoint at the end', -writingMs);
      await db.transaction().execute(async (trx) => {
        await setJob(trx, jobId, { status: 'done', finished_at: nowIso() });
        await recordAudit(trx, ctx, {
          action: 'person.import',
          entityType: 'import_job',
          entityId: jobId,
          nodePath,
          detail: {
            file: file.filename,
            mode,
            total,
            imported,
            rejected: badRows.size,
            outcome: 'done',
          },
        });
      });
      return jobReport(await loadJob(jobId), ctx.lang ?? DEFAULT_LANG);
    },

    /** The caller's own runs under `ref`, newest first: none until the server has registered it. */
    async byRef(ctx: RequestContext, ref: string): Promise<{ items: ImportReport[] }> {
      const actor = actorOf(ctx);
      const jobs = await db
        .selectFrom('import_jobs')
        .selectAll()
        .where('created_by', '=', actor.userId)
        .where('ref', '=', ref)
        .orderBy('id', 'desc')
        .limit(10)
        .execute();
      return { items: jobs.map((j) => jobReport(j, ctx.lang ?? DEFAULT_LANG)) };
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
      if (!job) throw notFound('import');
      return jobReport(job, ctx.lang ?? DEFAULT_LANG);
    },

    /** The bad rows as the user sent them, with an error column: only for the one who imported. */
    async errorWorkbook(ctx: RequestContext, jobId: number) {
      const actor = actorOf(ctx);
      const job = await db.selectFrom('import_jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
      if (!job || job.created_by !== actor.userId) throw notFound('import');
      if (!job.error_rows_enc) throw notFound('error_rows');
      const { headers, rows } = JSON.parse(pii.decrypt(job.error_rows_enc)) as {
        headers: string[];
        rows: {
          row: number;
          values: Record<string, string>;
          message?: string;
          errors?: Omit<RowError, 'row'>[];
        }[];
      };
      const lang = ctx.lang ?? DEFAULT_LANG;
      const t = (code: MessageCode) => renderMessage(code, undefined, lang);
      return writeWorkbook(
        t('import.sheet_errors'),
        [t('import.column_row'), ...headers, t('import.column_error')],
        rows.map((r) => [
          r.row,
          ...headers.map((h) => r.values[h] ?? ''),
          // Files written before codes were kept hold the joined sentence.
          r.errors
            ? r.errors.map((e) => `${e.column}: ${rowErrorText({ row: r.row, ...e }, lang)}`).join('; ')
            : (r.message ?? ''),
        ]),
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
