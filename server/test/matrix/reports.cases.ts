// Route-matrix cases: daily reports.
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import { cellText, isWithin } from '../routes.js';
import {
  tree,
  db,
  reportTemplateAt,
  readableTemplateAt,
  shanghaiToday,
  templatePaths,
  readsAncestor,
  BELOW,
  pathsOfIds,
  type Case,
  inEachState,
  templateStates,
} from './driver.js';

export const reportsCases: Record<string, Case> = {
  // ------------------------------ daily reports
  'POST /api/report-templates': {
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [
        await c.post('/api/report-templates', {
          title: '矩阵日报',
          nodeId: n.id,
          targetLevel: n.level === 'grid' ? 'grid' : BELOW[n.level],
          dueTime: '17:00',
          startDay: '2026-01-01',
          fields: [{ code: 'n', labelZh: '人数', labelEn: 'People', type: 'integer', aggregation: 'sum' }],
        }),
      ],
      inside: (res, _x, n) => {
        // A grid has no level below it that reports.
        if (n.level === 'grid') {
          expect(res.status).toBe(400);
          expect((res.body as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
            'body.targetLevel',
          ]);
          return;
        }
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        expect(res.body).toMatchObject({
          node: { id: n.id },
          targetLevel: BELOW[n.level],
          abilities: { manage: true },
        });
      },
    },
  },
  'GET /api/report-templates': {
    wholeCast: true,
    list: {
      call: async ({ c, actor }) => {
        await readableTemplateAt(actor.scope());
        return c.get('/api/report-templates');
      },
      check: async (res, { actor }) => {
        expect(res.status).toBe(200);
        const paths = await templatePaths(res);
        expect(paths.length).toBeGreaterThan(0);
        expect(paths.length, 'an empty list proves nothing').toBeGreaterThan(0);
        for (const p of paths)
          expect(isWithin(p, actor.scope().path) || isWithin(actor.scope().path, p), p).toBe(true);
      },
    },
    node: {
      call: async ({ c }, n) => {
        await readableTemplateAt(n);
        return [await c.get(`/api/report-templates?node=${n.id}`)];
      },
      inside: async (res, { actor }, n) => {
        expect(res.status).toBe(200);
        const paths = await templatePaths(res);
        expect(paths).toContain(n.path);
        expect(paths.length, 'an empty list proves nothing').toBeGreaterThan(0);
        for (const p of paths) {
          expect(isWithin(p, n.path) || isWithin(n.path, p), p).toBe(true);
          expect(isWithin(p, actor.scope().path) || isWithin(actor.scope().path, p), p).toBe(true);
        }
      },
    },
  },
  'GET /api/report-templates/:id': {
    states: async ({ c }, n) =>
      inEachState(await templateStates(n), (id) => c.get(`/api/report-templates/${id}`)),
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [await c.get(`/api/report-templates/${await readableTemplateAt(n)}`)],
      inside: (res, _x, n) => {
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ node: { id: n.id }, abilities: { view: true } });
      },
      // A template above the caller is read for their part of it; one beside them is not.
      outside: (res, { actor }, n) => {
        if (readsAncestor(actor, n)) expect(res.status).toBe(200);
        else expect(res.status).toBe(403);
      },
    },
  },
  'PATCH /api/report-templates/:id': {
    states: async ({ c }, n) =>
      inEachState(await templateStates(n), (id) => c.patch(`/api/report-templates/${id}`, { retired: true })),
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [
        await c.patch(`/api/report-templates/${await readableTemplateAt(n)}`, { retired: true }),
      ],
      inside: (res) => {
        expect(res.status).toBe(200);
        expect((res.body as { retiredAt: string | null }).retiredAt).not.toBeNull();
      },
    },
  },
  'GET /api/report-templates/:id/forms': {
    states: async ({ c }, n) =>
      inEachState(await templateStates(n), (id) => c.get(`/api/report-templates/${id}/forms`)),
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [await c.get(`/api/report-templates/${await readableTemplateAt(n)}/forms`)],
      inside: async (res, { actor }, n) => {
        expect(res.status).toBe(200);
        // The forms are the caller's own grids under the template's node.
        const ids = (res.body as { items: { node: { id: number } }[] }).items.map((f) => f.node.id);
        for (const p of await pathsOfIds(ids)) {
          expect(isWithin(p, n.path)).toBe(true);
          expect(isWithin(p, actor.scope().path)).toBe(true);
        }
      },
      outside: (res, { actor }, n) => {
        if (readsAncestor(actor, n)) expect(res.status).toBe(200);
        else expect(res.status).toBe(403);
      },
    },
  },
  'PUT /api/report-templates/:id/submissions': {
    states: async ({ c }, n) =>
      inEachState(await templateStates(n), (id) =>
        c.put(`/api/report-templates/${id}/submissions`, {
          nodeId: n.id,
          day: shanghaiToday(),
          values: { n: 3 },
        }),
      ),
    wholeCast: true,
    node: {
      call: async ({ c }, n) => {
        // The reporter: the node itself, below a template at its parent (the district reports as a town of its own).
        const reporter = n.level === 'district' ? tree.towns[1]! : n;
        const parentPath = reporter.path.slice(
          0,
          reporter.path.lastIndexOf('/', reporter.path.length - 2) + 1,
        );
        const parent = await db
          .selectFrom('nodes')
          .select(['id', 'path', 'name', 'level', 'full_code'])
          .where('path', '=', parentPath)
          .executeTakeFirstOrThrow();
        const id = await reportTemplateAt(
          {
            id: parent.id,
            path: parent.path,
            name: parent.name,
            level: parent.level,
            fullCode: parent.full_code,
          },
          reporter.level,
        );
        return [
          await c.put(`/api/report-templates/${id}/submissions`, {
            nodeId: reporter.id,
            day: shanghaiToday(),
            values: { n: 3 },
          }),
        ];
      },
      inside: (res, _x, n) => {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body).toMatchObject({
          node: { id: n.level === 'district' ? tree.towns[1]!.id : n.id },
          values: { n: 3 },
        });
      },
    },
  },
  'GET /api/report-templates/:id/summary': {
    states: async ({ c }, n) =>
      inEachState(await templateStates(n), (id) => c.get(`/api/report-templates/${id}/summary`)),
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [
        await c.get(`/api/report-templates/${await readableTemplateAt(n)}/summary?node=${n.id}`),
      ],
      inside: async (res, _x, n) => {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        const b = res.body as { node: { id: number }; expected: number; missing: { id: number }[] };
        expect(b.node.id).toBe(n.id);
        // Paths below, by prefix: independent of the production range (dialect.subtreeRange).
        const under = n.path;
        const grids = await db
          .selectFrom('nodes')
          .select('id')
          .where('path', 'like', `${under}%`)
          .where('level', '=', 'grid')
          .where('retired_at', 'is', null)
          .execute();
        expect(b.expected).toBe(grids.length);
        for (const p of await pathsOfIds(b.missing.map((m) => m.id))) expect(isWithin(p, n.path)).toBe(true);
      },
    },
  },
  'GET /api/report-templates/:id/history': {
    states: async ({ c }, n) =>
      inEachState(await templateStates(n), (id) => c.get(`/api/report-templates/${id}/history`)),
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [
        await c.get(
          `/api/report-templates/${await readableTemplateAt(n)}/history?node=${n.id}&from=2026-01-01&to=2026-01-31`,
        ),
      ],
      inside: (res, _x, n) => {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body).toMatchObject({ node: { id: n.id } });
        expect((res.body as { days: unknown[] }).days).toHaveLength(31);
      },
    },
  },
  'POST /api/report-templates/:id/export': {
    states: async ({ c }, n) =>
      inEachState(await templateStates(n), (id) =>
        c.post(`/api/report-templates/${id}/export`, { from: '2026-01-01', to: '2026-01-02' }),
      ),
    wholeCast: true,
    node: {
      call: async ({ c }, n) => [
        await c.post(`/api/report-templates/${await readableTemplateAt(n)}/export`, {
          node: n.id,
          from: '2026-01-01',
          to: '2026-01-02',
        }),
      ],
      inside: async (res, _x, n) => {
        expect(res.status, String(res.body).slice(0, 200)).toBe(200);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(res.raw.rawPayload as unknown as ExcelJS.Buffer);
        expect(wb.worksheets.map((w) => w.name)).toEqual(['填报明细', '每日汇总']);
        // The reporters listed are the grids under the node (missing on both days).
        const names = new Set<string>();
        wb.worksheets[0]!.eachRow((r, i) => {
          if (i > 1) names.add(cellText(r.getCell(3).value));
        });
        // Paths below, by prefix: independent of the production range (dialect.subtreeRange).
        const under = n.path;
        const grids = await db
          .selectFrom('nodes')
          .select('name')
          .where('path', 'like', `${under}%`)
          .where('level', '=', 'grid')
          .where('retired_at', 'is', null)
          .execute();
        expect([...names].sort()).toEqual(grids.map((g) => g.name).sort());
      },
    },
  },
};
