// A daily report as an XLSX workbook: one sheet of every reporter's submission per day (and who is
// missing), one of the daily totals, in the language asked.
import ExcelJS from 'exceljs';
import type { ReportField, ReportValue } from '../../../common/contracts/reports.js';
import { renderMessage, type Lang, type MessageCode } from '../../../common/messages/index.js';
import type { Reporter, SubmissionRow } from './reports.repository.js';

/** More rows than this is not a report anyone reads; narrow the node or the period. */
export const REPORT_EXPORT_MAX_ROWS = 100_000;

/** 'YYYY-MM-DD HH:mm' in Asia/Shanghai (a fixed +8 h). */
const beijingTime = (iso: string) =>
  new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
const cell = (v: ReportValue | undefined) => (v === undefined ? null : v);

export async function reportWorkbook(input: {
  title: string;
  fields: readonly ReportField[];
  reporters: readonly Reporter[];
  subs: readonly SubmissionRow[];
  days: readonly {
    day: string;
    values: Record<string, ReportValue>;
    expected: number;
    submitted: number;
    late: number;
  }[];
  dueTime: string;
  /** Days a missing report counts as missing (running, and not after today). */
  isDue: (day: string) => boolean;
  lang: Lang;
}): Promise<Buffer> {
  const t = (code: MessageCode) => renderMessage(code, undefined, input.lang);
  // A field's label is the template's data, kept in both languages: the one asked.
  const fieldHeader = (f: ReportField) => (input.lang === 'en' ? f.labelEn : f.labelZh);
  const wb = new ExcelJS.Workbook();
  const detail = wb.addWorksheet(t('export.sheet.submissions'));
  detail.addRow([
    t('export.report.day'),
    t('export.report.parent'),
    t('export.report.reporter'),
    t('export.report.status'),
    t('export.report.submitted_at'),
    t('export.report.corrected_at'),
    ...input.fields.map(fieldHeader),
  ]).font = { bold: true };
  const byKey = new Map(input.subs.map((s) => [`${s.day}|${s.node_id}`, s]));
  for (const d of input.days) {
    for (const r of input.reporters) {
      const s = byKey.get(`${d.day}|${r.id}`);
      if (!s && !input.isDue(d.day)) continue;
      const values = s ? (JSON.parse(s.values) as Record<string, ReportValue>) : {};
      detail.addRow([
        d.day,
        r.parent_name,
        r.name,
        t(!s ? 'export.report.missing' : s.late === 1 ? 'export.report.late' : 'export.report.on_time'),
        s ? beijingTime(s.submitted_at) : null,
        s && s.updated_at !== s.submitted_at ? beijingTime(s.updated_at) : null,
        ...input.fields.map((f) => cell(values[f.code])),
      ]);
    }
  }
  const totals = wb.addWorksheet(t('export.sheet.daily_totals'));
  totals.addRow([
    t('export.report.day'),
    t('export.report.expected'),
    t('export.report.submitted'),
    t('export.report.late'),
    t('export.report.missing'),
    ...input.fields.map(fieldHeader),
  ]).font = { bold: true };
  for (const d of input.days)
    totals.addRow([
      d.day,
      d.expected,
      d.submitted,
      d.late,
      Math.max(0, d.expected - d.submitted),
      ...input.fields.map((f) => cell(d.values[f.code])),
    ]);
  for (const ws of [detail, totals]) ws.columns.forEach((c) => (c.width = 18));
  wb.title = input.title;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
