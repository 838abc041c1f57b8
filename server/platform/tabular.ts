// Reading and writing the tables officials live in: CSV (UTF-8, with or without BOM) and XLSX.
import ExcelJS from 'exceljs';
import { msg } from '../../common/messages/index.js';
import { IMPORT_LIMITS, type ImportLimits } from '../../common/limits.js';
import { badRequest } from './errors.js';
import { rowsTooMany, tooLarge, xlsxRows } from './xlsx-reader.js';

export interface Table {
  headers: string[];
  /** Data rows as header → trimmed text, with their 1-based row number in the file. */
  rows: TableRow[];
}

/** One raw line of a table: its 1-based row number in the file and its cells' text. */
interface RawRow {
  row: number;
  cells: string[];
}

/**
 * RFC 4180 CSV, line by line: quoted fields, doubled quotes, CRLF, LF or CR. Refuses with 413
 * `import.too_large` the moment a line has more than `limits.columns` fields, a field more than
 * `limits.cellChars` characters, or the file more than `limits.rows` lines below the header.
 */
function* csvRows(
  text: string,
  limits: Pick<ImportLimits, 'rows' | 'columns' | 'cellChars'>,
): Generator<RawRow> {
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let n = 0;
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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
  return Array.from(csvRows(text, UNLIMITED), (r) => r.cells);
}

export interface TableRow {
  row: number;
  values: Record<string, string>;
}

/** A table being read: its header, and its data rows in batches as they are read (once). */
export interface TableStream {
  headers: string[];
  batches: AsyncIterable<TableRow[]>;
}

/**
 * Opens a CSV or XLSX upload within IMPORT_LIMITS (an importer may pass tighter ones): reads the
 * header row, then hands out the data rows as they stream, blank rows skipped, cells trimmed, each
 * with its row number in the file. A workbook is never unpacked whole (ADR 0009).
 */
export async function openTable(
  filename: string,
  data: Buffer,
  options: Partial<ImportLimits> & { required?: readonly string[] } = {},
): Promise<TableStream> {
  const { required, ...limits } = options;
  const lim: ImportLimits = { ...IMPORT_LIMITS, ...limits };
  const raw = rawBatches(filename, data, lim);
  let first = await raw.next();
  while (!first.done && first.value.length === 0) first = await raw.next();
  if (first.done) throw badRequest('import.empty');
  const [top, ...rest] = first.value;
  // A sheet whose first row is not row 1 has an empty header, as spreadsheet programs show it.
  const headerRow = top!.row === 1 ? top! : null;
  const headers = (headerRow?.cells ?? []).map((h) => h.trim());
  if (required) requireHeaders({ headers }, required);
  const toTableRows = (batch: readonly RawRow[]): TableRow[] => {
    const out: TableRow[] = [];
    for (const { row, cells } of batch) {
      if (cells.every((c) => c.trim() === '')) continue;
      if (cells.some((c) => c.includes('\u0000'))) {
        throw badRequest('import.invalid_characters', { row });
      }
      const values: Record<string, string> = {};
      headers.forEach((h, j) => (values[h] = (cells[j] ?? '').trim()));
      out.push({ row, values });
    }
    return out;
  };
  async function* rows(): AsyncGenerator<TableRow[]> {
    const firstRows = toTableRows(headerRow ? rest : (first.value as RawRow[]));
    if (firstRows.length > 0) yield firstRows;
    for (let r = await raw.next(); !r.done; r = await raw.next()) {
      const batch = toTableRows(r.value);
      if (batch.length > 0) yield batch;
    }
  }
  return { headers, batches: rows() };
}

function rawBatches(
  filename: string,
  data: Buffer,
  lim: ImportLimits,
): AsyncIterator<RawRow[]> | Iterator<RawRow[]> {
  const lower = filename.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return batches(csvRows(data.toString('utf8'), lim));
  if (lower.endsWith('.xlsx')) return xlsxRows(data, lim);
  throw badRequest('import.unsupported_type');
}

/**
 * Reads the whole file once within the limits, keeping nothing: the number of data rows that are not
 * blank. An importer that does real work per row calls it first, so that a file past any limit is
 * refused before that work starts (ADR 0009).
 */
export async function countTableRows(
  filename: string,
  data: Buffer,
  limits: Partial<ImportLimits> = {},
): Promise<number> {
  const raw = rawBatches(filename, data, { ...IMPORT_LIMITS, ...limits });
  let n = 0;
  for (let r = await raw.next(); !r.done; r = await raw.next())
    for (const { row, cells } of r.value) if (row > 1 && cells.some((c) => c.trim() !== '')) n++;
  return n;
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
export async function readTable(
  filename: string,
  data: Buffer,
  options: Parameters<typeof openTable>[2] = {},
): Promise<Table> {
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
