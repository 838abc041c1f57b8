// Reading and writing the tables officials live in: CSV (UTF-8, with or without BOM) and XLSX.
import ExcelJS from 'exceljs';
import { LANGS, msg, renderMessage, type Lang } from '../../common/messages/index.js';
import { IMPORT_LIMITS, type ImportLimits } from '../../common/limits.js';
import { badRequest } from './errors.js';
import { rowsTooMany, tooLarge, xlsxRows, xlsxRowsWithin, type WorkbookInfo } from './xlsx-reader.js';

export interface Table {
  headers: string[];
  /** Data rows as header → trimmed text, with their 1-based row number in the file. */
  rows: TableRow[];
}

/** One raw line of a table: its 1-based row number in the file and its cells' text. */
interface RawRow {
  row: number;
  cells: string[];
  numeric?: number[];
}

/**
 * A CSV file's text a piece at a time, each piece about `size` bytes, cut just after a line break
 * outside quotes and decoded alone: no row, quoted field or UTF-8 character is split (a quote and a
 * line feed are single bytes that no multi-byte character contains), and the file is never held as
 * one decoded string, which a kept cell could keep alive whole (ADR 0009). A file without such a
 * break (one quoted field throughout, CR-only line ends) is one piece.
 */
export function* csvChunks(data: Buffer, size = 1 << 20): Generator<string> {
  let start = 0;
  while (start < data.length) {
    let end = data.length;
    let i = start;
    let quoted = false;
    for (;;) {
      const q = data.indexOf(0x22, i);
      if (!quoted) {
        const lf = data.indexOf(0x0a, Math.max(i, start + size - 1));
        if (lf >= 0 && (q < 0 || lf < q)) {
          end = lf + 1;
          break;
        }
      }
      if (q < 0) break;
      quoted = !quoted;
      i = q + 1;
    }
    yield data.toString('utf8', start, end);
    start = end;
  }
}

/**
 * RFC 4180 CSV, line by line: quoted fields, doubled quotes, CRLF, LF or CR. Refuses with 413
 * `import.too_large` the moment a line has more than `limits.columns` fields, a field more than
 * `limits.cellChars` characters, or the file more than `limits.rows` lines below the header.
 */
function* csvRows(
  chunks: Iterable<string>,
  limits: Pick<ImportLimits, 'rows' | 'columns' | 'cellChars'>,
): Generator<RawRow> {
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let n = 0;
  let first = true;
  const push = () => {
    if (field.length > limits.cellChars) throw cellTooLong(limits.cellChars);
    row.push(field);
    field = '';
    if (row.length > limits.columns) throw columnsTooMany(limits.columns);
  };
  const line = (): RawRow => {
    if (++n > limits.rows + 1) throw rowsTooMany(limits.rows);
    const out = { row: n, cells: row };
    row = [];
    return out;
  };
  // Each chunk ends just after a line break outside quotes (csvChunks), so no lookahead below
  // (a doubled quote, CR LF) ever needs the next one.
  for (const chunk of chunks) {
    const s = first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
    first = false;
    for (let i = 0; i < s.length; i++) {
      const ch = s[i]!;
      if (inQuotes) {
        if (ch === '"') {
          if (s[i + 1] === '"') {
            field += '"';
            i++;
          } else inQuotes = false;
        } else {
          // Unquoted runs are copied whole: one slice per run, not one concatenation per character.
          const next = s.indexOf('"', i);
          const upTo = next < 0 ? s.length : next;
          field += s.slice(i, upTo);
          i = upTo - 1;
        }
        if (field.length > limits.cellChars) throw cellTooLong(limits.cellChars);
      } else if (ch === '"') inQuotes = true;
      else if (ch === ',') push();
      else if (ch === '\n' || ch === '\r') {
        if (ch === '\r' && s[i + 1] === '\n') i++;
        push();
        yield line();
      } else {
        let j = i + 1;
        while (j < s.length) {
          const c = s.charCodeAt(j);
          if (c === 44 || c === 10 || c === 13 || c === 34) break;
          j++;
        }
        field += s.slice(i, j);
        i = j - 1;
        if (field.length > limits.cellChars) throw cellTooLong(limits.cellChars);
      }
    }
  }
  if (field !== '' || row.length > 0) {
    push();
    yield line();
  }
}

const cellTooLong = (max: number) => tooLarge('cellChars', max);
const columnsTooMany = (max: number) => tooLarge('columns', max);

const UNLIMITED = { rows: Infinity, columns: Infinity, cellChars: Infinity };

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  return Array.from(csvRows([text], UNLIMITED), (r) => r.cells);
}

export interface TableRow {
  row: number;
  values: Record<string, string>;
  /** The columns (by header) whose cell the workbook held as a plain number rather than text: an
   * ID number there has lost digits (Excel keeps 15 significant digits). Absent when none. */
  numeric?: string[];
}

/** Why a row of the file was not read as data. */
export type SkipReason = 'above_header' | 'blank' | 'total';
export interface SkippedRow {
  row: number;
  reason: SkipReason;
}

/** A table being read: its header, and its data rows in batches as they are read (once). */
export interface TableStream {
  headers: string[];
  /** The row the header was found on (1-based). */
  headerRow: number;
  batches: AsyncIterable<TableRow[]>;
  /** The rows skipped, filled in while the batches are read: the first SKIPPED_KEPT of them, and
   * how many in all. Blank rows after the last data row are not counted (nobody sees those). */
  skipped: { rows: SkippedRow[]; total: number };
}

/** The skipped rows as an import reports them, each with its reason in the language asked. */
export function skippedReport(skipped: TableStream['skipped'], lang: Lang) {
  return {
    total: skipped.total,
    rows: skipped.rows.map((r) => ({
      ...r,
      message: renderMessage(`import_skip.${r.reason}`, undefined, lang),
    })),
  };
}

/** What an importer tells the reader about its columns. */
export interface TableSpec {
  /** The columns the importer reads, by the names it uses. With them, the header row is looked for
   * among the first HEADER_SCAN_ROWS rows that are not blank, and row-number columns are ignored. */
  known?: readonly string[];
  /** Other headers officials give those columns: alias → column. */
  aliases?: Readonly<Record<string, string>>;
  /** Columns without which the file is refused (`import.missing_columns`). */
  required?: readonly string[];
  /** Columns holding dates: read as YYYY-MM-DD whether the sheet has a date, a serial day number or
   * text such as 1990/1/2, 1990年1月2日 or 19900102 (see `sheetDate`); left as they are otherwise. */
  dates?: readonly string[];
}
export type TableOptions = Partial<ImportLimits> & TableSpec;

/** How far down a title, a unit line or a two-level header may push the header row. */
export const HEADER_SCAN_ROWS = 10;
/** Skipped rows kept by row number (all are counted). */
export const SKIPPED_KEPT = 1000;

/** A header as compared: width-folded, without spaces, required-markers (`*`), remarks in brackets
 * (`（必填）`, `【选填】`) or a trailing colon, lower case. */
export function headerKey(h: string): string {
  return h
    .normalize('NFKC')
    .replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】/g, '')
    .replace(/[\s*:]/g, '')
    .toLowerCase();
}

/** Columns that only number the rows (序号) or that an error workbook of ours added: not read. */
const ROW_NUMBER_HEADERS = new Set(
  [
    '序号',
    '序',
    '顺序号',
    '行号',
    '编号',
    'no',
    'no.',
    '#',
    'sn',
    's/n',
    ...LANGS.flatMap((l) => [
      renderMessage('import.column_row', undefined, l),
      renderMessage('import.column_error', undefined, l),
    ]),
  ].map(headerKey),
);

/** A total line at the foot of a register: its first filled cell says so. */
const TOTAL_ROW = /^(?:合计|总计|小计|共计|合計|總計|小計|(?:grand)?total|subtotal|sum)(?![a-z])/;
/** First characters a total line's first cell can start with: most rows are ruled out on these. */
const TOTAL_START = new Set([...'合总小共總tTsSgG']);
const isTotalRow = (cells: readonly string[]) => {
  for (const c of cells) {
    if (c === '') continue;
    const s = c.trimStart();
    if (s === '') continue;
    return TOTAL_START.has(s[0]!) && TOTAL_ROW.test(s.replace(/\s+/g, '').toLowerCase());
  }
  return false;
};

/** The header row's columns: the name each data column is read under, or null for one not read. */
function headerColumns(cells: readonly string[], spec: TableSpec | null): (string | null)[] {
  const byKey = new Map<string, string>();
  if (spec?.known) {
    for (const [alias, column] of Object.entries(spec.aliases ?? {})) byKey.set(headerKey(alias), column);
    for (const c of spec.known) byKey.set(headerKey(c), c);
  }
  const used = new Set<string>();
  return cells.map((cell) => {
    const text = cell.trim();
    if (text === '') return null;
    const key = headerKey(text);
    let name = byKey.get(key);
    if (name === undefined) {
      if (spec?.known && ROW_NUMBER_HEADERS.has(key)) return null;
      name = text;
    }
    // The first column of a name is read; a second one (two 电话 columns) stays unread.
    if (used.has(name)) return null;
    used.add(name);
    return name;
  });
}

/** How many of the importer's columns a row names, and whether it names all the required ones. */
function headerScore(cells: readonly string[], spec: TableSpec) {
  const names = new Set(headerColumns(cells, spec).filter((n): n is string => n !== null));
  const score = (spec.known ?? []).filter((c) => names.has(c)).length;
  const complete = (spec.required ?? []).length > 0 && (spec.required ?? []).every((c) => names.has(c));
  return { score, complete };
}

const DATE_TEXT =
  /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** YYYY-MM-DD of a real day (years 1000–9999), or null; no Date object per cell. */
const iso = (y: number, m: number, d: number): string | null => {
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1) return null;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]!)) return null;
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
};

/**
 * A date as officials' sheets hold it, as YYYY-MM-DD, or null: text such as 1990-01-02, 1990-1-2,
 * 1990/1/2, 1990.1.2, 1990年1月2日 or 19900102 (a time after it is ignored); and, for a cell the
 * workbook held as a number, a serial day number (1900 or 1904 system) or 19900102 typed as one.
 */
export function sheetDate(text: string, cell: { numeric?: boolean; date1904?: boolean } = {}): string | null {
  const s = text.trim();
  const eight = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (eight) return iso(Number(eight[1]), Number(eight[2]), Number(eight[3]));
  const m = DATE_TEXT.exec(s);
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3]));
  if (cell.numeric) {
    const n = Number(s);
    // Serial days: 1 is 1900-01-01 (1904-01-02); 2,958,465 is 9999-12-31.
    if (!Number.isFinite(n) || n < 1 || n >= 2_958_466) return null;
    const epoch = cell.date1904 ? 24107 : 25569;
    return new Date(Math.round((Math.floor(n) - epoch) * 86_400_000)).toISOString().slice(0, 10);
  }
  return null;
}

const blank = (c: string) => c === '' || c.trim() === '';

/**
 * Finds the header and reads the rows below it, for both openTable (build: rows as header → text)
 * and countTableRows (build: false, keeping nothing).
 */
async function tableRows(filename: string, data: Buffer, options: TableOptions, build: boolean) {
  const { known, aliases, required, dates, ...limits } = options;
  const spec: TableSpec | null = known ? { known, aliases, required, dates } : null;
  const lim: ImportLimits = { ...IMPORT_LIMITS, ...limits };
  const info: WorkbookInfo = { date1904: false };
  const raw = rawBatches(filename, data, lim, info);

  // The header: with the importer's columns, the first row among the first HEADER_SCAN_ROWS filled
  // ones that names every required column, else the one naming the most (the first of equals);
  // without them, the first filled row.
  const scanned: RawRow[] = [];
  let rest: RawRow[] = [];
  let found = -1;
  look: for (let r = await raw.next(); !r.done; r = await raw.next()) {
    const batch = r.value;
    for (let i = 0; i < batch.length; i++) {
      const row = batch[i]!;
      if (row.cells.every(blank)) continue;
      scanned.push(row);
      const done = !spec || headerScore(row.cells, spec).complete;
      if (done) found = scanned.length - 1;
      if (done || scanned.length === HEADER_SCAN_ROWS) {
        rest = batch.slice(i + 1);
        break look;
      }
    }
  }
  if (scanned.length === 0) throw badRequest('import.empty');
  if (found < 0) {
    const scores = scanned.map((r) => headerScore(r.cells, spec!).score);
    found = Math.max(0, scores.indexOf(Math.max(...scores)));
  }
  const header = scanned[found]!;
  const names = headerColumns(header.cells, spec);
  const headers = names.filter((n): n is string => n !== null);
  if (required) requireHeaders({ headers }, required);
  const dateSet = new Set(dates ?? []);
  const dateCols = names.map((n) => n !== null && dateSet.has(n));
  // Columns read: a row with nothing in them is blank, whatever its 序号 says.
  const readCols = names.flatMap((n, j) => (n === null ? [] : [j]));

  const skipped: TableStream['skipped'] = { rows: [], total: 0 };
  const skip = (row: number, reason: SkipReason) => {
    skipped.total++;
    if (skipped.rows.length < SKIPPED_KEPT) skipped.rows.push({ row, reason });
  };
  for (const r of scanned.slice(0, found)) skip(r.row, 'above_header');
  let lastFilled = header.row;
  let count = 0;

  /** One raw row: a data row, or null when skipped (noted). Rows skipped between two filled rows
   * (blank ones, and any a workbook left out) are noted when the next filled row comes. */
  const take = (r: RawRow): TableRow | null => {
    const { row, cells } = r;
    const total = isTotalRow(cells);
    if (!total && !readCols.some((j) => !blank(cells[j] ?? ''))) return null;
    const gap = row - lastFilled - 1;
    if (gap > 0) {
      skipped.total += gap;
      for (let k = lastFilled + 1; k < row && skipped.rows.length < SKIPPED_KEPT; k++)
        skipped.rows.push({ row: k, reason: 'blank' });
    }
    lastFilled = row;
    if (total) {
      skip(row, 'total');
      return null;
    }
    count++;
    if (!build) return null;
    if (cells.some((c) => c.includes('\u0000'))) throw badRequest('import.invalid_characters', { row });
    const values: Record<string, string> = {};
    for (let j = 0; j < names.length; j++) {
      const n = names[j];
      if (n === null || n === undefined) continue;
      const v = (cells[j] ?? '').trim();
      values[n] =
        dateCols[j] && v !== ''
          ? (sheetDate(v, { numeric: r.numeric?.includes(j), date1904: info.date1904 }) ?? v)
          : v;
    }
    const out: TableRow = { row, values };
    if (r.numeric) {
      const numeric = r.numeric.flatMap((j) => (names[j] && !dateCols[j] ? [names[j]] : []));
      if (numeric.length > 0) out.numeric = numeric;
    }
    return out;
  };
  const takeAll = (batch: readonly RawRow[]) => {
    const out: TableRow[] = [];
    for (const r of batch) {
      const t = take(r);
      if (t) out.push(t);
    }
    return out;
  };
  async function* batches(): AsyncGenerator<TableRow[]> {
    const first = takeAll([...scanned.slice(found + 1), ...rest]);
    if (first.length > 0) yield first;
    for (let r = await raw.next(); !r.done; r = await raw.next()) {
      const batch = takeAll(r.value);
      if (batch.length > 0) yield batch;
    }
  }
  return { headers, headerRow: header.row, batches: batches(), skipped, count: () => count };
}

/**
 * Opens a CSV or XLSX upload within IMPORT_LIMITS (an importer may pass tighter ones) as officials
 * write them: finds the header row (below a title, say), then hands out the data rows as they
 * stream, cells trimmed, each with its row number in the file; blank rows and total rows (合计) are
 * skipped and noted, row-number columns (序号) not read. A workbook is never unpacked whole (ADR 0009).
 */
export async function openTable(
  filename: string,
  data: Buffer,
  options: TableOptions = {},
): Promise<TableStream> {
  const { headers, headerRow, batches, skipped } = await tableRows(filename, data, options, true);
  return { headers, headerRow, batches, skipped };
}

function rawBatches(
  filename: string,
  data: Buffer,
  lim: ImportLimits,
  info: WorkbookInfo,
): AsyncIterator<RawRow[]> | Iterator<RawRow[]> {
  const lower = filename.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return batches(csvRows(csvChunks(data), lim));
  if (lower.endsWith('.xlsx')) return xlsxRows(data, lim, info);
  throw badRequest('import.unsupported_type');
}

/**
 * Reads the whole file once within the limits, keeping nothing: the number of data rows (as
 * openTable would hand them out with the same options). An importer that does real work per row
 * calls it first, so that a file past any limit is refused before that work starts (ADR 0009).
 */
export async function countTableRows(
  filename: string,
  data: Buffer,
  options: TableOptions = {},
): Promise<number> {
  const { known: _k, aliases: _a, required: _r, dates: _d, ...limits } = options;
  // A workbook's rows are counted in its bytes first: millions of small rows are refused before
  // any is parsed (ADR 0009).
  if (filename.toLowerCase().endsWith('.xlsx')) await xlsxRowsWithin(data, { ...IMPORT_LIMITS, ...limits });
  const t = await tableRows(filename, data, options, false);
  for await (const _ of t.batches);
  return t.count();
}

/** Rows in batches of a thousand, so that a reader awaits once per batch rather than once per row. */
function* batches(rows: Iterable<RawRow>): Generator<RawRow[]> {
  let batch: RawRow[] = [];
  for (const r of rows) {
    batch.push(r);
    if (batch.length === 1000) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** The whole table in memory: for small imports (nodes) and tests. */
export async function readTable(filename: string, data: Buffer, options: TableOptions = {}): Promise<Table> {
  const { headers, batches } = await openTable(filename, data, options);
  const out: Table['rows'] = [];
  for await (const batch of batches) for (const r of batch) out.push(r);
  return { headers, rows: out };
}

export function requireHeaders(table: Pick<Table, 'headers'>, required: readonly string[]): void {
  const missing = required.filter((h) => !table.headers.includes(h));
  if (missing.length > 0) {
    throw badRequest(
      'import.missing_columns',
      { columns: missing.join(', ') },
      missing.map((m) => ({
        path: `columns.${m}`,
        message: msg('issue.column_required', { column: m }),
        code: 'missing_column',
      })),
    );
  }
}

export async function writeWorkbook(
  sheetName: string,
  headers: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName);
  ws.addRow([...headers]).font = { bold: true };
  for (const r of rows) ws.addRow([...r]);
  ws.columns.forEach((c) => (c.width = 18));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
