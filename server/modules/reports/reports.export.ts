// A daily report as an XLSX workbook: one sheet of every reporter's submission per day (and who is
// missing), one of the daily totals. Bilingual headers, Chinese first.
import ExcelJS from 'exceljs';
import type { ReportField, ReportValue } from '../../../common/contracts/reports.js';
import type { Reporter, SubmissionRow } from './reports.repository.js';

export const SUBMISSION_SHEET = '填报明细 Submissions';
export const TOTALS_SHEET = '每日汇总 Daily totals';
export const STATUS_LABELS = { on_time: '按时 On time', late: '迟报 Late', missing: '未报 Missing' } as const;
/** More rows than this is not a report anyone reads; narrow the node or the period. */
export const REPORT_EXPORT_MAX_ROWS = 100_000;

/** 'YYYY-MM-DD HH:mm' in Asia/Shanghai (a fixed +8 h). */
const beijingTime = (iso: string) =>
  new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
const fieldHeader = (f: ReportField) => `${f.labelZh} ${f.labelEn}`;
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
}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const detail = wb.addWorksheet(SUBMISSION_SHEET);
  detail.addRow([
    '日期 Day',
    '上级 Parent',
    '上报单位 Reporter',
    '状态 Status',
    '提交时间 Submitted at (UTC+8)',
    '更正时间 Corrected at (UTC+8)',
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
        !s ? STATUS_LABELS.missing : s.late === 1 ? STATUS_LABELS.late : STATUS_LABELS.on_time,
        s ? beijingTime(s.submitted_at) : null,
        s && s.updated_at !== s.submitted_at ? beijingTime(s.updated_at) : null,
        ...input.fields.map((f) => cell(values[f.code])),
      ]);
    }
  }
  const totals = wb.addWorksheet(TOTALS_SHEET);
  totals.addRow([
    '日期 Day',
    '应报 Expected',
    '已报 Submitted',
    '迟报 Late',
    '未报 Missing',
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
