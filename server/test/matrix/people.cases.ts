// Route-matrix cases: people.
import { expect } from 'vitest';
import { insertHousehold, withinAny, type PeopleImportReport } from '../routes.js';
import {
  t,
  tree,
  db,
  personPhones,
  lastPersonId,
  gridAt,
  personAt,
  householdAt,
  countUnder,
  exportedPaths,
  seq,
  importInto,
  holdsPermission,
  items,
  pathsOfIds,
  type Case,
  inEachState,
  personStates,
  adminClient,
} from './driver.js';

export const peopleCases: Record<string, Case> = {
  // ------------------------------ people
  'GET /api/people': {
    list: {
      call: ({ c }) => c.get('/api/people?pageSize=200'),
      check: async (res, { actor }) => {
        expect(res.status).toBe(200);
        const list = items(res) as { node: { id: number } }[];
        expect(list.length).toBeGreaterThan(0);
        for (const p of await pathsOfIds(list.map((i) => i.node.id)))
          expect(withinAny(p, [actor.scope().path]), p).toBe(true);
        expect((res.body as { total: number }).total).toBe(await countUnder('persons', actor.scope().path));
      },
    },
    node: {
      call: async ({ c }, n) => [await c.get(`/api/people?node=${n.id}&pageSize=200`)],
      inside: async (res, { actor }, n) => {
        expect(res.status).toBe(200);
        const list = items(res) as { node: { id: number } }[];
        expect(list.length, 'an empty list proves nothing').toBeGreaterThan(0);
        for (const p of await pathsOfIds(list.map((i) => i.node.id))) {
          expect(p.startsWith(n.path), p).toBe(true);
          expect(withinAny(p, [actor.scope().path]), p).toBe(true);
        }
        expect((res.body as { total: number }).total).toBe(await countUnder('persons', n.path));
      },
    },
  },
  'GET /api/people/:id': {
    states: async ({ c }, n) => inEachState(await personStates(n), (id) => c.get(`/api/people/${id}`)),
    node: {
      call: async ({ c }, n) => [await c.get(`/api/people/${await personAt(n)}`)],
      inside: (res) => {
        expect(res.status).toBe(200);
        const b = res.body as { id: number; idNumber: string; phone: string };
        expect(b.id).toBe(lastPersonId);
        expect(b.idNumber).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
        expect(b.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
      },
    },
  },
  'POST /api/people': {
    node: {
      call: async ({ c }, n) => [
        await c.post('/api/people', {
          name: '矩阵登记',
          noIdReason: 'child',
          nodeId: (await gridAt(n)).id,
          residenceType: 'registered',
        }),
      ],
      inside: async (res, { actor }, n) => {
        expect(res.status).toBe(201);
        const [p] = await pathsOfIds([(res.body as { node: { id: number } }).node.id]);
        expect(p!.startsWith(n.path)).toBe(true);
        expect(withinAny(p!, [actor.scope().path])).toBe(true);
      },
    },
  },
  'PATCH /api/people/:id': {
    states: async ({ c }, n) =>
      inEachState(await personStates(n), (id) => c.patch(`/api/people/${id}`, { notes: 'matrix' })),
    node: {
      call: async ({ c, actor }, n, where) => {
        const out = [await c.patch(`/api/people/${await personAt(n)}`, { notes: 'matrix' })];
        // Outside: also try to move one of the caller's own people into the foreign grid.
        if (where === 'outside')
          out.push(
            await c.patch(`/api/people/${await personAt(actor.scope())}`, { nodeId: (await gridAt(n)).id }),
          );
        return out;
      },
      inside: (res) => {
        expect(res.status).toBe(200);
        expect((res.body as { notes: string }).notes).toBe('matrix');
      },
    },
  },
  'POST /api/people/:id/reveal': {
    states: async ({ c }, n) =>
      inEachState(await personStates(n), (id) =>
        c.post(`/api/people/${id}/reveal`, { field: 'phone', reason: '矩阵核查' }),
      ),
    node: {
      call: async ({ c }, n) => [
        await c.post(`/api/people/${await personAt(n)}/reveal`, { field: 'phone', reason: '矩阵核查' }),
      ],
      inside: (res) => {
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ field: 'phone', value: personPhones.get(lastPersonId) });
      },
    },
  },
  'POST /api/people/:id/merge': {
    states: async ({ c, actor }, n) => {
      const own = await personAt(actor.scope());
      return inEachState(await personStates(n), (id) =>
        c.post(`/api/people/${id}/merge`, { otherId: own, reason: '矩阵合并' }),
      );
    },
    node: {
      call: async ({ c, actor }, n, where) => {
        const a = await personAt(n);
        const b = await personAt(n);
        const out = [await c.post(`/api/people/${a}/merge`, { otherId: b, reason: '矩阵合并' })];
        // Outside: also across the boundary, either way round.
        if (where === 'outside') {
          const own = await personAt(actor.scope());
          out.push(
            await c.post(`/api/people/${own}/merge`, { otherId: await personAt(n), reason: '矩阵合并' }),
          );
          out.push(
            await c.post(`/api/people/${await personAt(n)}/merge`, { otherId: own, reason: '矩阵合并' }),
          );
        }
        return out;
      },
      inside: async (res) => {
        expect(res.status).toBe(200);
        const survivor = (res.body as { id: number }).id;
        const merged = await db
          .selectFrom('persons')
          .select('id')
          .where('merged_into_id', '=', survivor)
          .execute();
        expect(merged).toHaveLength(1);
      },
    },
  },
  'POST /api/people/export': {
    list: {
      call: ({ c }) => c.post('/api/people/export', {}),
      check: async (res, { actor }) => {
        const paths = await exportedPaths(res);
        expect(paths.length).toBe(await countUnder('persons', actor.scope().path));
        for (const p of paths) expect(withinAny(p, [actor.scope().path]), p).toBe(true);
      },
    },
    node: {
      call: async ({ c }, n) => [await c.post('/api/people/export', { node: n.id })],
      inside: async (res, _x, n) => {
        const paths = await exportedPaths(res);
        expect(paths.length).toBe(await countUnder('persons', n.path));
        expect(paths.length, 'an empty list proves nothing').toBeGreaterThan(0);
        for (const p of paths) expect(p.startsWith(n.path), p).toBe(true);
      },
    },
  },
  'GET /api/people/import/template': { unscoped: 'a blank template; people.import anywhere is enough' },
  'POST /api/people/import': {
    node: {
      call: async ({ c }, n) => [await importInto(c, await gridAt(n))],
      inside: (res) => {
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ status: 'done', total: 1, imported: 1, rejected: 0, errors: [] });
      },
      // The grid is named in the file: a foreign grid is a row error, and nothing is written.
      outside: (res) => {
        expect(res.status).toBe(200);
        const b = res.body as PeopleImportReport;
        expect(b.imported).toBe(0);
        expect(b.errors).toEqual([expect.objectContaining({ row: 2, column: '所属网格' })]);
      },
    },
  },
  'GET /api/people/imports': {
    unscoped: 'the caller’s own imports, by the ref they gave',
    check: async ({ c, actor }) => {
      const admin = await t.login('admin');
      const ref = `matrix-list-${++seq.import}`;
      expect((await importInto(admin, tree.grids[0]!, { ref })).status).toBe(200);
      const theirs = await c.get(`/api/people/imports?ref=${ref}`);
      if (!(await holdsPermission(c, 'people.import'))) return expect(theirs.status).toBe(403);
      // Someone else's run reads as one not registered yet: an empty list, not a 404 to poll into.
      expect(theirs.status).toBe(200);
      expect(theirs.body).toEqual({ items: [] });
      const own = `matrix-list-own-${++seq.import}`;
      expect((await c.get(`/api/people/imports?ref=${own}`)).body).toEqual({ items: [] });
      const done = await importInto(c, await gridAt(actor.scope()), { ref: own });
      expect(done.status).toBe(200);
      const mine = await c.get(`/api/people/imports?ref=${own}`);
      expect(mine.status).toBe(200);
      expect((mine.body as { items: PeopleImportReport[] }).items).toEqual([done.body]);
    },
  },
  'GET /api/people/imports/by-ref/:ref': {
    // Imports are their importer's: someone else's ref answers like one never used.
    states: async ({ c }, n) => {
      const ref = `matrix-ref-${++seq.import}`;
      expect((await importInto(adminClient, await gridAt(n), { ref })).status).toBe(200);
      return inEachState({ someoneElses: ref, unused: `${ref}-unused` }, (r) =>
        c.get(`/api/people/imports/by-ref/${r}`),
      );
    },
    unscoped: 'the caller’s own imports, by the ref they gave',
    check: async ({ c, actor }) => {
      const admin = await t.login('admin');
      const ref = `matrix-${++seq.import}`;
      expect((await importInto(admin, tree.grids[0]!, { ref })).status).toBe(200);
      const theirs = await c.get(`/api/people/imports/by-ref/${ref}`);
      if (!(await holdsPermission(c, 'people.import'))) return expect(theirs.status).toBe(403);
      expect(theirs.status).toBe(404);
      const own = `matrix-own-${++seq.import}`;
      expect((await importInto(c, await gridAt(actor.scope()), { ref: own })).status).toBe(200);
      expect((await c.get(`/api/people/imports/by-ref/${own}`)).status).toBe(200);
    },
  },
  'GET /api/people/imports/:id/errors.xlsx': {
    // Someone else's import answers 404 whether it left error rows or not.
    states: async ({ c }, n) => {
      const grid = await gridAt(n);
      const withErrors = (await importInto(adminClient, grid, { badRow: true })).body.jobId;
      const clean = (await importInto(adminClient, grid)).body.jobId;
      return inEachState({ withErrors, clean }, (id) => c.get(`/api/people/imports/${id}/errors.xlsx`));
    },
    unscoped: 'only the importer’s own job',
    check: async ({ c }) => {
      const admin = await t.login('admin');
      const job = await importInto(admin, tree.grids[0]!, { badRow: true });
      expect(job.body.errorWorkbook).not.toBeNull();
      expect((await admin.get(job.body.errorWorkbook!)).status).toBe(200);
      expect((await c.get(job.body.errorWorkbook!)).status).toBe(
        (await holdsPermission(c, 'people.import')) ? 404 : 403,
      );
    },
  },
  'GET /api/households': {
    list: {
      call: ({ c }) => c.get('/api/households?pageSize=200'),
      check: async (res, { actor }) => {
        expect(res.status).toBe(200);
        const list = items(res) as { node: { id: number } }[];
        expect(list.length).toBeGreaterThan(0);
        for (const p of await pathsOfIds(list.map((i) => i.node.id)))
          expect(withinAny(p, [actor.scope().path]), p).toBe(true);
        expect((res.body as { total: number }).total).toBe(
          await countUnder('households', actor.scope().path),
        );
      },
    },
    node: {
      call: async ({ c }, n) => [await c.get(`/api/households?node=${n.id}&pageSize=200`)],
      inside: async (res, _x, n) => {
        expect(res.status).toBe(200);
        const list = items(res) as { node: { id: number } }[];
        expect(list.length, 'an empty list proves nothing').toBeGreaterThan(0);
        for (const p of await pathsOfIds(list.map((i) => i.node.id)))
          expect(p.startsWith(n.path), p).toBe(true);
        expect((res.body as { total: number }).total).toBe(await countUnder('households', n.path));
      },
    },
  },
  'GET /api/households/:id': {
    states: async ({ c }, n) => {
      const grid = await gridAt(n);
      return inEachState(
        {
          withMembers: await householdAt(n),
          empty: await insertHousehold(db, grid, `矩阵空户${++seq.person}`),
        },
        (id) => c.get(`/api/households/${id}`),
      );
    },
    node: {
      call: async ({ c }, n) => [await c.get(`/api/households/${await householdAt(n)}`)],
      inside: (res) => {
        expect(res.status).toBe(200);
        expect((res.body as { memberCount: number }).memberCount).toBe(1);
      },
    },
  },
  'GET /api/tags': { unscoped: 'the district-wide tag list' },
  'POST /api/tags': {
    unscoped: 'tags are district-wide; only a district-root administrator edits them',
    check: async ({ c }) => {
      const code = `t${++seq.probe}x`;
      expect((await c.post('/api/tags', { code, nameZh: '标签', nameEn: 'Tag' })).status).toBe(403);
      expect(
        await db.selectFrom('tags').select('code').where('code', '=', code).executeTakeFirst(),
      ).toBeUndefined();
    },
  },
  'PATCH /api/tags/:code': {
    stateless: 'tags are district-wide; only a district-root administrator edits them',
    unscoped: 'tags are district-wide; only a district-root administrator edits them',
    check: async ({ c }) => {
      expect((await c.patch('/api/tags/key_care', { nameEn: 'Hijacked' })).status).toBe(403);
      expect((await c.patch('/api/tags/key_care', { retired: true })).status).toBe(403);
      const tag = await db
        .selectFrom('tags')
        .selectAll()
        .where('code', '=', 'key_care')
        .executeTakeFirstOrThrow();
      expect(tag).toMatchObject({ name_en: 'Key care', retired_at: null });
    },
  },
};
