// The filtered event list as an XLSX workbook: exactly what the caller may list, every page at once,
// with no personal data (the reporter's name and phone stay out), and an audit row per export.
import {
  CHANNEL_LABELS,
  EVENT_STATE_LABELS,
  type CLOSE_REASON_CODES,
} from '../../../common/contracts/events.js';
import type { ExportEventsBody } from '../../../common/contracts/event-views.js';
import { LEVEL_LABELS, type Level } from '../../../common/tree.js';
import type { DB } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import { actorOf, commonAncestor, type RequestContext } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { msg } from '../../../common/messages/index.js';
import { badRequest, forbidden } from '../../platform/errors.js';
import { writeWorkbook } from '../../platform/tabular.js';
import { listFilter } from './events.filter.js';
import { countEvents } from './events.repository.js';
import * as repo from './events.views.repository.js';

export const EVENT_EXPORT_MAX_ROWS = 50_000;

/** Bilingual headers, Chinese first: officials read the Chinese, the English keeps the file usable to others. */
export const EVENT_EXPORT_HEADERS = [
  '受理编号 Tracking code',
  '标题 Title',
  '大类 Category',
  '小类 Sub-category',
  '状态 State',
  '来源渠道 Channel',
  '发生地点 Place',
  '地点全称 Place (full name)',
  '地点编码 Place code',
  '责任层级 Owner level',
  '主办部门 Lead department',
  '上报时间 Reported at (UTC+8)',
  '时限 Due at (UTC+8)',
  '是否超时 Overdue',
  '结案时间 Closed at (UTC+8)',
  '结案原因 Close reason',
] as const;

const CLOSE_REASON_LABELS: Record<(typeof CLOSE_REASON_CODES)[number], string> = {
  resolved: '已解决',
  not_our_responsibility: '非本级职责',
  duplicate: '重复事件',
  cancelled: '已撤销',
};

/** 'YYYY-MM-DD HH:mm' in Asia/Shanghai (no daylight saving: a fixed +8 h), as officials read times. */
export function beijingTime(iso: string | null): string | null {
  if (!iso) return null;
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export function createEventsExportService(deps: { db: DB; now?: () => string; maxRows?: number }) {
  const { db } = deps;
  const now = deps.now ?? nowIso;
  const maxRows = deps.maxRows ?? EVENT_EXPORT_MAX_ROWS;

  /** Full names of places below the district root ("镇1 / 镇1村1 / 镇1村1网格1"), one read of their ancestors. */
  async function placeNames(paths: readonly string[]) {
    const idsOf = (p: string) => p.split('/').filter(Boolean).map(Number).slice(1);
    const names = await repo.nodeNames(db, [...new Set(paths.flatMap(idsOf))]);
    return new Map(
      paths.map((p) => [
        p,
        idsOf(p)
          .map((id) => names.get(id) ?? '?')
          .join(' / '),
      ]),
    );
  }

  return {
    async workbook(ctx: RequestContext, q: ExportEventsBody) {
      const actor = actorOf(ctx);
      const at = now();
      const f = await listFilter(db, actor, q, at);
      // Someone who reads no events anywhere and handles for no department has nothing to export.
      if (f.readScopes.length === 0 && f.departmentIds.length === 0) throw forbidden('export_no_scope');
      const total = await countEvents(db, f);
      if (total > maxRows) {
        throw badRequest('event.export_too_large', { max: maxRows, total }, [
          { path: 'body', message: msg('issue.export_rows', { total, max: maxRows }), code: 'too_many' },
        ]);
      }
      const rows = await repo.exportRows(db, f, maxRows);
      const full = await placeNames([...new Set(rows.map((r) => r.node_path))]);
      const buf = await writeWorkbook(
        '事件 events',
        EVENT_EXPORT_HEADERS,
        rows.map((r) => [
          r.tracking_code,
          r.title,
          r.parent_category_name_zh ?? r.category_name_zh,
          r.parent_category_name_zh === null ? null : r.category_name_zh,
          EVENT_STATE_LABELS[r.state as keyof typeof EVENT_STATE_LABELS]?.zh ?? r.state,
          CHANNEL_LABELS[r.channel as keyof typeof CHANNEL_LABELS]?.zh ?? r.channel,
          r.node_name,
          full.get(r.node_path) || r.node_name,
          r.node_full_code,
          LEVEL_LABELS[r.owner_level as Level]?.zh ?? r.owner_level,
          r.lead_department_name,
          beijingTime(r.created_at),
          beijingTime(r.due_at),
          r.due_at !== null && r.due_at < at ? '是' : '否',
          beijingTime(r.closed_at),
          r.close_reason
            ? (CLOSE_REASON_LABELS[r.close_reason as keyof typeof CLOSE_REASON_LABELS] ?? r.close_reason)
            : null,
        ]),
      );
      // Placed at the filtered node, or where the caller's reading reaches, so that auditors of that
      // jurisdiction see it (a handler reading only through departments: the district's auditors).
      const nodePath = f.under ?? commonAncestor(f.readScopes);
      await db.transaction().execute((trx) =>
        recordAudit(trx, ctx, {
          action: 'event.export',
          entityType: 'event',
          nodePath,
          detail: {
            rows: rows.length,
            filters: {
              node: q.node,
              state: q.state,
              category: q.category,
              level: q.level,
              channel: q.channel,
              overdue: q.overdue,
              q: q.q ? '(set)' : undefined,
            },
          },
        }),
      );
      return buf;
    },
  };
}

export type EventsExportService = ReturnType<typeof createEventsExportService>;
