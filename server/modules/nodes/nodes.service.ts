// Jurisdiction tree: authorisation, rules and audit, each write in one transaction.
import type { z } from 'zod';
import type {
  createNodeBody,
  moveNodeBody,
  NodeDetail,
  NodeHit,
  NodeImportReport,
  NodeSummary,
  PolygonGeometry,
  PublicPlace,
  updateNodeBody,
} from '../../../common/contracts/nodes.js';
import {
  NODE_IMPORT_ALIASES,
  NODE_IMPORT_COLUMNS,
  polygonGeometry,
} from '../../../common/contracts/nodes.js';
import { DEFAULT_LANG, msg, renderMessage, type Message } from '../../../common/messages/index.js';
import { childLevel, LEVEL_LABELS, LEVELS, type Level } from '../../../common/tree.js';
import type { DB, Executor } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import type { NodeRow } from '../../db/schema.js';
import {
  actorOf,
  assertCan,
  can,
  commonAncestor,
  scopesFor,
  type RequestContext,
} from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { conflict, notFound } from '../../platform/errors.js';
import { openTable, skippedReport, type TableRow } from '../../platform/tabular.js';
import * as repo from './nodes.repository.js';

function centroidOf(g: PolygonGeometry): { lat: number; lng: number } {
  const ring = g.type === 'Polygon' ? g.coordinates[0]! : g.coordinates[0]![0]!;
  const pts = ring.slice(0, -1);
  const lng = pts.reduce((s, p) => s + p[0], 0) / pts.length;
  const lat = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  return { lat: Math.round(lat * 1e6) / 1e6, lng: Math.round(lng * 1e6) / 1e6 };
}

/** The levels a resident may find and send a report to. */
const PUBLIC_LEVELS: readonly Level[] = ['town', 'village', 'grid'];

/** Hits with the names of the places above each, read in one query. */
async function withPathNames(x: Executor, rows: readonly repo.NodeHitRow[]): Promise<NodeHit[]> {
  const names = await repo.namesByIds(x, [...new Set(rows.flatMap((r) => ancestorIds(r.path)))]);
  return rows.map((r) => ({
    id: r.id,
    parentId: r.parent_id,
    name: r.name,
    level: r.level as Level,
    fullCode: r.full_code,
    path: ancestorIds(r.path).map((id) => names.get(id) ?? ''),
  }));
}

const toPublicPlace = (h: NodeHit): PublicPlace => ({ id: h.id, name: h.name, level: h.level, path: h.path });

/** Places by id as a resident sees them (the grid a point lies in); unknown or retired ids are left out. */
export async function publicPlacesByIds(x: Executor, ids: readonly number[]): Promise<PublicPlace[]> {
  const rows = (await repo.findNodesByIds(x, ids)).filter((n) => !n.retired_at);
  return (await withPathNames(x, rows)).map(toPublicPlace);
}

export function toSummary(n: repo.NodeWithCount): NodeSummary {
  return {
    id: n.id,
    parentId: n.parent_id,
    level: n.level as Level,
    code: n.code,
    fullCode: n.full_code,
    name: n.name,
    path: n.path,
    depth: n.depth,
    responsibleName: n.responsible_name,
    centroid:
      n.centroid_lat != null && n.centroid_lng != null ? { lat: n.centroid_lat, lng: n.centroid_lng } : null,
    hasPolygon: n.polygon != null,
    retired: n.retired_at != null,
    childCount: Number(n.child_count),
  };
}

const auditView = (n: NodeRow) => ({
  name: n.name,
  code: n.code,
  fullCode: n.full_code,
  path: n.path,
  responsibleName: n.responsible_name,
  polygon: n.polygon,
  retiredAt: n.retired_at,
});

/** Path ids from the root down, the node itself excluded. */
const ancestorIds = (path: string) => path.split('/').filter(Boolean).slice(0, -1).map(Number);

const LEVEL_BY_LABEL = new Map<string, Level>(
  LEVELS.flatMap((l) => [
    [l, l],
    [LEVEL_LABELS[l].zh, l],
    [LEVEL_LABELS[l].en.toLowerCase(), l],
  ]),
);
LEVEL_BY_LABEL.set('镇', 'town').set('街道', 'town').set('村', 'village').set('社区', 'village');

export function createNodesService(deps: { db: DB }) {
  const { db } = deps;

  async function load(x: Executor, id: number) {
    const n = await repo.findNode(x, id);
    if (!n) throw notFound('node');
    return n;
  }

  async function loadReadable(ctx: RequestContext, id: number) {
    const actor = actorOf(ctx);
    const n = await load(db, id);
    assertCan(actor, 'nodes.read', n.path);
    return { actor, n };
  }

  return {
    /** Children of a node in code order, or the caller's scope roots when no parent is given. */
    async list(
      ctx: RequestContext,
      parent: number | undefined,
      includeRetired: boolean,
    ): Promise<NodeSummary[]> {
      const actor = actorOf(ctx);
      if (parent === undefined) {
        const roots = scopesFor(actor, 'nodes.read');
        const ids = roots.map((p) => Number(p.split('/').filter(Boolean).at(-1)));
        return (await repo.findNodesByIds(db, ids)).map(toSummary);
      }
      const { n } = await loadReadable(ctx, parent);
      return (await repo.listChildren(db, n.id, includeRetired)).map(toSummary);
    },

    async get(ctx: RequestContext, id: number): Promise<NodeDetail> {
      const { actor, n } = await loadReadable(ctx, id);
      const anc = await repo.findNodesByIds(db, ancestorIds(n.path));
      const manage = can(actor, 'nodes.manage', n.path);
      const parentPath = n.path.slice(0, n.path.slice(0, -1).lastIndexOf('/') + 1);
      return {
        ...toSummary(n),
        polygon: n.polygon ? polygonGeometry.parse(JSON.parse(n.polygon)) : null,
        ancestors: anc.map((a) => ({ id: a.id, name: a.name, level: a.level as Level })),
        abilities: {
          update: manage && !n.retired_at,
          createChild: manage && !n.retired_at && childLevel(n.level as Level) !== null,
          move: manage && n.parent_id !== null && can(actor, 'nodes.manage', parentPath) && !n.retired_at,
          retire: manage && n.parent_id !== null && !n.retired_at,
          import: manage && !n.retired_at,
        },
      };
    },

    /** How many towns, villages and grids lie under a node: one range scan on the path index. */
    async counts(ctx: RequestContext, id: number) {
      const { n } = await loadReadable(ctx, id);
      return { id: n.id, byLevel: await repo.countSubtreeByLevel(db, n.path) };
    },

    /** Places in the caller's scope found by name, pinyin, initials or code, with the names above each. */
    async search(ctx: RequestContext, q: string, pageSize: number): Promise<NodeHit[]> {
      const actor = actorOf(ctx);
      return withPathNames(db, await repo.searchNodes(db, q, scopesFor(actor, 'nodes.read'), pageSize));
    },

    /**
     * The resident's search: towns, villages and communities, and grids of the whole tree, by name,
     * pinyin or initials; names and the names above only (no codes, people or counts).
     */
    async publicSearch(q: string, pageSize: number): Promise<PublicPlace[]> {
      const hits = await repo.searchNodes(db, q, ['/'], pageSize, PUBLIC_LEVELS);
      return (await withPathNames(db, hits)).map(toPublicPlace);
    },

    /**
     * The areas a resident's map draws, each with its name: the towns, or the villages of a town, or
     * the grids of a village; for a grid, the grids of its village (it among them).
     */
    async publicAreas(within: number | undefined) {
      let parentId: number;
      if (within === undefined) {
        const root = await repo.rootNode(db);
        if (!root) return { type: 'FeatureCollection' as const, features: [] };
        parentId = root.id;
      } else {
        const n = await repo.findNode(db, within);
        if (!n || n.retired_at || !PUBLIC_LEVELS.includes(n.level as Level)) throw notFound('node');
        parentId = n.level === 'grid' ? n.parent_id! : n.id;
      }
      const rows = await repo.subtreePolygons(db, '/', null, parentId);
      return {
        type: 'FeatureCollection' as const,
        features: rows.map((r) => ({
          type: 'Feature' as const,
          id: r.id,
          properties: { id: r.id, name: r.name, level: r.level as Level },
          geometry: JSON.parse(r.polygon!) as PolygonGeometry,
        })),
      };
    },

    async polygons(ctx: RequestContext, id: number, level: Level | undefined) {
      const { n } = await loadReadable(ctx, id);
      const rows = await repo.subtreePolygons(db, n.path, level ?? null, n.id);
      return {
        type: 'FeatureCollection' as const,
        features: rows.map((r) => ({
          type: 'Feature' as const,
          id: r.id,
          properties: { id: r.id, name: r.name, level: r.level as Level, fullCode: r.full_code },
          geometry: JSON.parse(r.polygon!) as PolygonGeometry,
        })),
      };
    },

    async create(ctx: RequestContext, body: z.infer<typeof createNodeBody>): Promise<NodeDetail> {
      const actor = actorOf(ctx);
      const id = await db.transaction().execute(async (trx) => {
        const parent = await load(trx, body.parentId);
        assertCan(actor, 'nodes.manage', parent.path);
        if (parent.retired_at) throw conflict('node.parent_retired');
        const level = childLevel(parent.level as Level);
        if (!level) throw conflict('node.no_child_level', { level: `level.${parent.level}` });
        const fullCode = parent.full_code + body.code;
        if ((await repo.findByFullCodes(trx, [fullCode])).length > 0) {
          throw conflict('node.code_taken', { code: body.code, parent: parent.name });
        }
        const now = nowIso();
        const c = body.polygon ? centroidOf(body.polygon) : null;
        const created = await repo.insertNode(
          trx,
          {
            parent_id: parent.id,
            level,
            code: body.code,
            full_code: fullCode,
            name: body.name,
            depth: parent.depth + 1,
            polygon: body.polygon ? JSON.stringify(body.polygon) : null,
            centroid_lat: c?.lat ?? null,
            centroid_lng: c?.lng ?? null,
            responsible_name: body.responsibleName ?? null,
            retired_at: null,
            created_at: now,
            updated_at: now,
          },
          parent.path,
        );
        await recordAudit(trx, ctx, {
          action: 'node.create',
          entityType: 'node',
          entityId: created.id,
          nodePath: created.path,
          after: { name: body.name, fullCode, level },
        });
        return created.id;
      });
      return this.get(ctx, id);
    },

    async update(ctx: RequestContext, id: number, body: z.infer<typeof updateNodeBody>): Promise<NodeDetail> {
      const actor = actorOf(ctx);
      await db.transaction().execute(async (trx) => {
        const n = await load(trx, id);
        assertCan(actor, 'nodes.manage', n.path);
        if (n.retired_at) throw conflict('node.retired');
        const set: Partial<NodeRow> = { updated_at: nowIso() };
        if (body.name !== undefined) set.name = body.name;
        if (body.responsibleName !== undefined) set.responsible_name = body.responsibleName;
        if (body.polygon !== undefined) {
          set.polygon = body.polygon ? JSON.stringify(body.polygon) : null;
          const c = body.polygon ? centroidOf(body.polygon) : null;
          set.centroid_lat = c?.lat ?? null;
          set.centroid_lng = c?.lng ?? null;
        }
        await repo.updateNode(trx, id, set);
        await recordAudit(trx, ctx, {
          action: 'node.update',
          entityType: 'node',
          entityId: id,
          nodePath: n.path,
          before: auditView(n),
          after: auditView({ ...n, ...set }),
          detail: { fields: Object.keys(body) },
        });
      });
      return this.get(ctx, id);
    },

    async move(ctx: RequestContext, id: number, body: z.infer<typeof moveNodeBody>): Promise<NodeDetail> {
      const actor = actorOf(ctx);
      await db.transaction().execute(async (trx) => {
        const n = await load(trx, id);
        // Scope before state: who may not manage the node learns nothing of it but 403.
        if (n.parent_id === null) {
          assertCan(actor, 'nodes.manage', n.path);
          throw conflict('node.root_fixed');
        }
        const oldParent = await load(trx, n.parent_id);
        assertCan(actor, 'nodes.manage', oldParent.path);
        const target = await load(trx, body.newParentId);
        assertCan(actor, 'nodes.manage', target.path);
        if (n.retired_at || target.retired_at) throw conflict('node.retired');
        if (target.path.startsWith(n.path)) throw conflict('node.move_into_self');
        if (target.level !== oldParent.level) {
          throw conflict('node.level_mismatch', { level: `level.${oldParent.level}` });
        }
        // Cases, commands, directives, reports and notices keep their place's path in rollups and
        // histories per ancestor too: a subtree holding them stays put (people and households move along).
        const held = await repo.recordsUnder(trx, n.path);
        if (held.length > 0)
          throw conflict('node.has_records', { records: held.join(', ') }, { records: held });
        const code = body.code ?? n.code;
        if ((await repo.findByFullCodes(trx, [target.full_code + code])).length > 0) {
          throw conflict('node.code_taken', { code, parent: target.name });
        }
        const newPath = await repo.moveSubtree(trx, n, {
          parentId: target.id,
          path: target.path,
          fullCode: target.full_code,
          depth: target.depth,
          code,
          now: nowIso(),
        });
        await recordAudit(trx, ctx, {
          action: 'node.move',
          entityType: 'node',
          entityId: id,
          nodePath: newPath,
          before: { path: n.path, fullCode: n.full_code },
          after: { path: newPath, fullCode: target.full_code + code },
          detail: { from: oldParent.id, to: target.id },
        });
      });
      return this.get(ctx, id);
    },

    async retire(ctx: RequestContext, id: number): Promise<NodeDetail> {
      const actor = actorOf(ctx);
      await db.transaction().execute(async (trx) => {
        const n = await load(trx, id);
        assertCan(actor, 'nodes.manage', n.path);
        if (n.parent_id === null) throw conflict('node.root_fixed');
        if (n.retired_at) throw conflict('node.retired');
        if ((await repo.countActiveChildren(trx, id)) > 0) {
          throw conflict('node.has_children');
        }
        const now = nowIso();
        await repo.updateNode(trx, id, { retired_at: now, updated_at: now });
        await recordAudit(trx, ctx, {
          action: 'node.retire',
          entityType: 'node',
          entityId: id,
          nodePath: n.path,
          before: auditView(n),
        });
      });
      return this.get(ctx, id);
    },

    /**
     * Imports nodes from a table. Every row is checked first; in all-or-nothing mode a single bad
     * row writes nothing; in valid-rows mode the good rows (and only those whose parent is good) are written.
     */
    async importTable(
      ctx: RequestContext,
      file: { filename: string; data: Buffer },
      mode: 'all-or-nothing' | 'valid-rows',
    ): Promise<NodeImportReport> {
      const actor = actorOf(ctx);
      // The header is checked before any row is read, and the row limit while the file streams.
      const stream = await openTable(file.filename, file.data, {
        rows: 20_000,
        known: NODE_IMPORT_COLUMNS,
        aliases: NODE_IMPORT_ALIASES,
        required: NODE_IMPORT_COLUMNS.slice(0, 3),
      });
      const table = { rows: [] as TableRow[] };
      for await (const batch of stream.batches) for (const r of batch) table.rows.push(r);
      const [P, C, N, L, R] = NODE_IMPORT_COLUMNS;
      const parentCodes = [...new Set(table.rows.map((r) => r.values[P] ?? ''))];
      const fullCodes = table.rows.map((r) => (r.values[P] ?? '') + (r.values[C] ?? ''));
      const existing = new Map(
        (await repo.findByFullCodes(db, [...parentCodes, ...fullCodes])).map((n) => [n.full_code, n]),
      );
      const errors: NodeImportReport['errors'] = [];
      // Rows accepted so far, by full code, so a later row may name an earlier one as parent.
      const accepted = new Map<string, { level: Level; row: number; values: Record<string, string> }>();
      for (const { row, values, numeric } of table.rows) {
        const err = (column: string, m: Message) =>
          errors.push({ row, column, message: renderMessage(m.code, m.params, ctx.lang ?? DEFAULT_LANG) });
        const before = errors.length;
        const parentCode = values[P] ?? '';
        const code = values[C] ?? '';
        const name = values[N] ?? '';
        const parentDb = existing.get(parentCode);
        const parentNew = accepted.get(parentCode);
        const parentLevel = parentDb ? (parentDb.level as Level) : parentNew?.level;
        if (!parentCode) err(P, msg('import_row.required', { column: P }));
        else if (!parentLevel) err(P, msg('import_row.parent_unknown', { code: parentCode }));
        else if (parentDb && (parentDb.retired_at || !can(actor, 'nodes.manage', parentDb.path))) {
          err(P, msg('import_row.parent_outside'));
        }
        // 001 held as a number is 1: its zeros are gone.
        if (!/^\d{3}$/.test(code))
          err(
            C,
            numeric?.includes(C)
              ? msg('import_row.number_lost_zeros', { column: C })
              : msg('import_row.code_digits'),
          );
        if (!name) err(N, msg('import_row.required', { column: N }));
        else if (name.length > 100) err(N, msg('import_row.too_long', { column: N, max: 100 }));
        const expected = parentLevel ? childLevel(parentLevel) : null;
        if (parentLevel && !expected) err(P, msg('import_row.no_children'));
        const levelText = (values[L] ?? '').trim();
        if (levelText && expected) {
          const given = LEVEL_BY_LABEL.get(levelText.toLowerCase()) ?? LEVEL_BY_LABEL.get(levelText);
          if (given !== expected) err(L, msg('import_row.level', { level: `level.${expected}` }));
        }
        const full = parentCode + code;
        if (existing.has(full)) err(C, msg('import_row.code_exists', { code: full }));
        if (accepted.has(full)) err(C, msg('import_row.code_in_file', { code: full }));
        if ((values[R] ?? '').length > 100)
          err(R ?? '负责人', msg('import_row.too_long', { column: R ?? '负责人', max: 100 }));
        if (errors.length === before && expected) accepted.set(full, { level: expected, row, values });
      }
      const rejectedRows = new Set(errors.map((e) => e.row)).size;
      const report = {
        total: table.rows.length,
        imported: 0,
        rejected: rejectedRows,
        errors,
        skipped: skippedReport(stream.skipped, ctx.lang ?? DEFAULT_LANG),
      };
      if (accepted.size === 0 || (mode === 'all-or-nothing' && errors.length > 0)) return report;
      await db.transaction().execute(async (trx) => {
        const now = nowIso();
        const parents = new Map<string, { id: number; path: string; depth: number }>();
        for (const [code, n] of existing) parents.set(code, { id: n.id, path: n.path, depth: n.depth });
        for (const [full, a] of accepted) {
          const parentCode = a.values[P]!;
          const parent = parents.get(parentCode)!;
          const created = await repo.insertNode(
            trx,
            {
              parent_id: parent.id,
              level: a.level,
              code: a.values[C]!,
              full_code: full,
              name: a.values[N]!,
              depth: parent.depth + 1,
              polygon: null,
              centroid_lat: null,
              centroid_lng: null,
              responsible_name: a.values[R] || null,
              retired_at: null,
              created_at: now,
              updated_at: now,
            },
            parent.path,
          );
          parents.set(full, { id: created.id, path: created.path, depth: parent.depth + 1 });
        }
        await recordAudit(trx, ctx, {
          action: 'node.import',
          entityType: 'node',
          // Filed where the town's (or village's) own auditors can see it: under every parent written to.
          nodePath: commonAncestor([...accepted.values()].map((a) => parents.get(a.values[P]!)!.path)),
          detail: {
            file: file.filename,
            total: report.total,
            imported: accepted.size,
            rejected: rejectedRows,
            mode,
          },
        });
      });
      report.imported = accepted.size;
      return report;
    },
  };
}

export type NodesService = ReturnType<typeof createNodesService>;
