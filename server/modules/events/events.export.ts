// The filtered event list as an XLSX workbook: exactly what the caller may list, every page at once,
// with no personal data (the reporter's name and phone stay out), and an audit row per export.
import type { ExportEventsBody } from '../../../common/contracts/event-views.js';
import type { DB } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import { actorOf, commonAncestor, type RequestContext } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import {
  DEFAULT_LANG,
  isMessageCode,
  msg,
  renderMessage,
  type Lang,
  type MessageCode,
} from '../../../common/messages/index.js';
import { badRequest, forbidden } from '../../platform/errors.js';
import { writeWorkbook } from '../../platform/tabular.js';
import { listFilter } from './events.filter.js';
import { countEvents } from './events.repository.js';
import * as repo from './events.views.repository.js';

export const EVENT_EXPORT_MAX_ROWS = 50_000;

/** The columns in order, as message codes: the headers are rendered in the language asked. */
export const EVENT_EXPORT_COLUMNS = [
  'export.event.tracking_code',
  'export.event.title',
  'export.event.category',
  'export.event.subcategory',
  'export.event.state',
  'export.event.channel',
  'export.event.place',
  'export.event.place_full',
  'export.event.place_code',
  'export.event.owner_level',
  'export.event.lead_department',
  'export.event.reported_at',
  'export.event.due_at',
  'export.event.overdue',
  'export.event.closed_at',
  'export.event.close_reason',
] as const satisfies readonly MessageCode[];

/** A registered label for a stored code (`event_state.closed`), or the stored code itself when none is. */
function label(prefix: string, value: string, lang: Lang) {
  const code = `${prefix}.${value}`;
  return isMessageCode(code) ? renderMessage(code, undefined, lang) : value;
}

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
      const lang = ctx.lang ?? DEFAULT_LANG;
      const t = (code: MessageCode) => renderMessage(code, undefined, lang);
      // Categories carry both names as data: the one of the language asked.
      const category = (zh: string | null, en: string | null) => (lang === 'en' ? en : zh);
      const buf = await writeWorkbook(
        t('export.sheet.events'),
        EVENT_EXPORT_COLUMNS.map(t),
        rows.map((r) => [
          r.tracking_code,
          r.title,
          category(
            r.parent_category_name_zh ?? r.category_name_zh,
            r.parent_category_name_en ?? r.category_name_en,
          ),
          r.parent_category_name_zh === null ? null : category(r.category_name_zh, r.category_name_en),
          label('event_state', r.state, lang),
          label('channel', r.channel, lang),
          r.node_name,
          full.get(r.node_path) || r.node_name,
          r.node_full_code,
          label('level', r.owner_level, lang),
          r.lead_department_name,
          beijingTime(r.created_at),
          beijingTime(r.due_at),
          t(r.due_at !== null && r.due_at < at ? 'export.yes' : 'export.no'),
          beijingTime(r.closed_at),
          r.close_reason ? label('close_reason', r.close_reason, lang) : null,
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
