// Route-matrix cases: live updates.
import { expect } from 'vitest';
import { recordLive } from '../../platform/live.js';
import { openSse } from '../sse.js';
import { type TreeNode } from '../factories.js';
import { userIdOf } from '../routes.js';
import { t, db, notifyDirect, type Case } from './driver.js';

export const liveCases: Record<string, Case> = {
  // ------------------------------ live updates
  'GET /api/stream': {
    unscoped: 'the caller’s own stream, scoped to their jurisdiction',
    wholeCast: true,
    check: async ({ c, actor }) => {
      // A real SSE connection: updates at every node inside and outside the caller's scope, then a
      // marker at the scope root; once the marker is in, everything before it was fanned out.
      const stream = await openSse(t.app, { client: c });
      try {
        expect(stream.status).toBe(200);
        const label = (n: TreeNode, where: string) => `${actor.name} ${where} ${n.name}`;
        const say = async (n: TreeNode, text: string) => {
          await db
            .transaction()
            .execute((trx) =>
              recordLive(trx, { kind: 'matrix.update', paths: [n.path], payload: { label: text } }),
            );
          t.app.linliLive.poke();
        };
        for (const n of actor.outside()) await say(n, label(n, 'outside'));
        for (const n of actor.inside()) await say(n, label(n, 'inside'));
        const marker = `${actor.name} marker`;
        await say(actor.scope(), marker);
        await stream.waitFor((e) => e.json?.payload.label === marker);
        expect(stream.events.map((e) => e.json?.payload.label)).toEqual([
          ...actor.inside().map((n) => label(n, 'inside')),
          marker,
        ]);
      } finally {
        stream.close();
      }
    },
  },
  'POST /api/notifications/read': {
    unscoped: 'marks the caller’s own notifications read',
    wholeCast: true,
    check: async ({ c, actor }) => {
      const mine = await notifyDirect(await userIdOf(db, actor.name), '矩阵通知');
      const theirs = await notifyDirect(
        await userIdOf(db, actor.name === 'admin' ? 'commander' : 'admin'),
        '别人的通知',
      );
      expect((await c.post('/api/notifications/read')).status).toBe(200);
      const readAt = async (id: number) =>
        (
          await db
            .selectFrom('notifications')
            .select('read_at')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).read_at;
      expect(await readAt(mine)).not.toBeNull();
      expect(await readAt(theirs)).toBeNull();
    },
  },
};
