// Route-matrix cases: audit.
import { expect } from 'vitest';
import { withinAny } from '../routes.js';
import { items, type Case } from './driver.js';

export const auditCases: Record<string, Case> = {
  // ------------------------------ audit
  'GET /api/audit': {
    list: {
      call: ({ c }) => c.get('/api/audit?pageSize=200'),
      check: (res, { actor }) => {
        if (actor.name !== 'townadmin') return expect(res.status).toBe(403);
        expect(res.status).toBe(200);
        const list = items(res) as { nodePath: string | null }[];
        expect(list.length).toBeGreaterThan(0);
        for (const i of list)
          expect(i.nodePath !== null && withinAny(i.nodePath, [actor.scope().path]), String(i.nodePath)).toBe(
            true,
          );
      },
    },
    node: {
      call: async ({ c }, n) => [await c.get(`/api/audit?node=${n.id}&pageSize=200`)],
      inside: (res, _x, n) => {
        expect(res.status).toBe(200);
        expect(
          (items(res) as { nodePath: string | null }[]).length,
          'an empty list proves nothing',
        ).toBeGreaterThan(0);
        for (const i of items(res) as { nodePath: string | null }[])
          expect(i.nodePath?.startsWith(n.path), String(i.nodePath)).toBe(true);
      },
    },
  },
  'GET /api/audit/verify': {
    unscoped: 'the whole chain; only an auditor at a tree root',
    check: async ({ c }) => expect((await c.get('/api/audit/verify')).status).toBe(403),
  },
  'GET /api/audit/anchors': {
    unscoped: 'the whole chain’s anchors; only an auditor at a tree root',
    check: async ({ c }) => expect((await c.get('/api/audit/anchors')).status).toBe(403),
  },
  'POST /api/audit/anchors': {
    unscoped: 'anchors the whole chain; only an auditor at a tree root',
    check: async ({ c }) => expect((await c.post('/api/audit/anchors')).status).toBe(403),
  },
};
