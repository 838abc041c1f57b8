// Reading and writing the tables officials live in: CSV (UTF-8, with or without BOM) and XLSX.
import ExcelJS from 'exceljs';
import { msg } from '../../common/messages/index.js';
import { badRequest } from './errors.js';

export interface Table {
  headers: string[];
  /** Data rows as header → trimmed text, with their 1-based row number in the file. */
  rows: { row: number; values: Record<string, string> }[];
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else field += ch;
    } else if (ch === '"') inQuotes = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      out.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    out.push(row);
  }
  return out;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) {
      const res: unknown = v.result;
      return typeof res === 'string' || typeof res === 'number' ? String(res) : '';
    }
    return '';
  }
  return String(v);
}

function toTable(grid: string[][]): Table {
  const [head, ...body] = grid;
  if (!head) throw badRequest('import.empty');
  const headers = head.map((h) => h.trim());
  const rows: Table['rows'] = [];
  body.forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return;
    if (cells.some((c) => c.includes('\u0000'))) {
      throw badRequest('import.invalid_characters', { row: i + 2 });
    }
    const values: Record<string, string> = {};
    headers.forEach((h, j) => (values[h] = (cells[j] ?? '').trim()));
    rows.push({ row: i + 2, values });
  });
  return { headers, rows };
}

export async function readTable(filename: string, data: Buffer): Promise<Table> {
  const lower = filename.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return toTable(parseCsv(data.toString('utf8')));
  if (lower.endsWith('.xlsx')) {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(data as unknown as ExcelJS.Buffer);
    } catch {
      throw badRequest('import.unreadable');
    }
    const ws = wb.worksheets[0];
    if (!ws) throw badRequest('import.empty');
    const grid: string[][] = [];
    ws.eachRow({ includeEmpty: true }, (r, n) => {
      const cells: string[] = [];
      for (let c = 1; c <= ws.columnCount; c++) cells.push(cellText(r.getCell(c).value));
      grid[n - 1] = cells;
    });
    return toTable(Array.from(grid, (r) => r ?? []));
  }
  throw badRequest('import.unsupported_type');
}

export function requireHeaders(table: Table, required: readonly string[]): void {
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
