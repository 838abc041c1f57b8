// Event photos through the API on both databases: uploads held under one-time tokens, claimed by a
// report or a step in its transaction, served to whoever may see the event, and nothing else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail, TrackingView } from '../../../common/contracts/events.js';
import { LIMITS } from '../../../common/limits.js';
import type { DB } from '../../db/index.js';
import { buildTestApp, type Client, type TestApp } from '../../test/harness.js';
import { makeCast, makeTree, makeUser, type Tree } from '../../test/factories.js';
import { multipart } from '../../test/routes.js';

let clock = '2026-09-25T02:00:00.000Z';
let t: TestApp;
let db: DB;
let tree: Tree;
let cadre: Client, towncmd: Client, gridworker: Client, otherGridworker: Client, handler: Client;
let departmentId: number;
let garbage: number;

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);
/** A JPEG's first bytes are enough for the sniffer; the rest is what the camera wrote. */
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]);

async function upload(c: Client, data: Buffer, url = '/api/event-photos', filename = 'photo.jpg') {
  return c.request<{
    token: string;
    mime: string;
    sizeBytes: number;
    issues?: { path: string; code: string }[];
  }>({ method: 'POST', url, ...multipart([{ name: 'file', filename, data, contentType: 'image/jpeg' }]) });
}
async function token(c: Client, data = PNG) {
  const res = await upload(c, data);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.token;
}
const photoRows = async () =>
  Number(
    (
      await db
        .selectFrom('event_photos')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const eventRows = async () =>
  Number(
    (
      await db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  t = await buildTestApp({}, { clock: () => clock });
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  await makeUser(db, 'gridworker2', [{ role: 'grid_worker', node: tree.grids[1]! }]);
  await makeUser(db, 'handler', [{ role: 'department_handler', node: tree.towns[0]! }]);
  cadre = await t.login('cadre');
  towncmd = await t.login('towncmd');
  gridworker = await t.login('gridworker');
  otherGridworker = await t.login('gridworker2');
  handler = await t.login('handler');
  garbage = (
    await db
      .selectFrom('event_categories')
      .select('id')
      .where('code', '=', 'environment.garbage')
      .executeTakeFirstOrThrow()
  ).id;
  const dept = await towncmd.post<{ id: number }>('/api/departments', {
    nodeId: tree.towns[0]!.id,
    kind: 'urban',
    name: '镇1综合执法队',
  });
  departmentId = dept.body.id;
  const handlerId = (
    await db.selectFrom('users').select('id').where('username', '=', 'handler').executeTakeFirstOrThrow()
  ).id;
  expect((await towncmd.post(`/api/departments/${departmentId}/members`, { userId: handlerId })).status).toBe(
    201,
  );
});
afterAll(async () => t.close());

describe(`event photos (${process.env.LINLI_TEST_DB ?? 'sqlite'})`, () => {
  it('a patrol report carries its photos; the loop adds the handler’s and the verifier’s; each step shows its own', async () => {
    const a = await token(gridworker);
    const b = await token(gridworker, JPEG);
    const rep = await gridworker.post<{ event: EventDetail }>('/api/events', {
      categoryId: garbage,
      title: '河边垃圾',
      description: '见照片',
      nodeId: tree.grids[0]!.id,
      photos: [a, b],
    });
    expect(rep.status, JSON.stringify(rep.body)).toBe(201);
    const id = rep.body.event.id;
    expect(rep.body.event.history[0]!.photos.map((p) => [p.mime, p.sizeBytes])).toEqual([
      ['image/png', PNG.length],
      ['image/jpeg', JPEG.length],
    ]);
    // The bytes come back as they were sent, to the reporter and to the village cadre.
    for (const c of [gridworker, cadre]) {
      const got = await c.get(`/api/events/${id}/photos/${rep.body.event.history[0]!.photos[0]!.id}`);
      expect(got.status).toBe(200);
      expect(got.headers['content-type']).toBe('image/png');
      expect(got.raw.rawPayload.equals(PNG)).toBe(true);
    }
    // Another grid's worker sees neither the event nor its photos.
    expect(
      (await otherGridworker.get(`/api/events/${id}/photos/${rep.body.event.history[0]!.photos[0]!.id}`))
        .status,
    ).toBe(403);
    // A token works once.
    const again = await gridworker.post<{ issues: { path: string }[] }>('/api/events', {
      categoryId: garbage,
      title: '再报',
      description: '同一张照片',
      nodeId: tree.grids[0]!.id,
      photos: [a],
    });
    expect(again.status).toBe(400);
    expect(again.body.issues.map((i) => i.path)).toEqual(['body.photos.0']);

    expect((await cadre.post(`/api/events/${id}/actions`, { action: 'accept' })).status).toBe(200);
    // Photos go only with feedback and verification.
    const early = await cadre.post<{ issues: { path: string }[] }>(`/api/events/${id}/actions`, {
      action: 'dispatch',
      departmentId,
      photos: [await token(cadre)],
    });
    expect(early.status).toBe(400);
    expect(early.body.issues.map((i) => i.path)).toContain('body.photos');
    expect((await cadre.post(`/api/events/${id}/actions`, { action: 'dispatch', departmentId })).status).toBe(
      200,
    );
    expect((await handler.post(`/api/events/${id}/actions`, { action: 'sign' })).status).toBe(200);
    const done = await handler.post<EventDetail>(`/api/events/${id}/actions`, {
      action: 'feed_back',
      note: '已清理',
      photos: [await token(handler)],
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const fed = done.body.history.find((h) => h.action === 'feed_back')!;
    expect(fed.photos).toHaveLength(1);
    // The handler sees the event through the department, and so its photos.
    expect((await handler.get(`/api/events/${id}/photos/${fed.photos[0]!.id}`)).status).toBe(200);
    const verified = await gridworker.post<EventDetail>(`/api/events/${id}/actions`, {
      action: 'verify_pass',
      photos: [await token(gridworker, JPEG)],
    });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body.history.map((h) => [h.action, h.photos.length])).toEqual([
      ['report', 2],
      ['accept', 0],
      ['dispatch', 0],
      ['sign', 0],
      ['feed_back', 1],
      ['verify_pass', 1],
    ]);
    // A photo id of another event is not served under this one.
    const other = await gridworker.post<{ event: EventDetail }>('/api/events', {
      categoryId: garbage,
      title: '另一处',
      description: '无照片',
      nodeId: tree.grids[0]!.id,
    });
    expect(
      (await gridworker.get(`/api/events/${other.body.event.id}/photos/${fed.photos[0]!.id}`)).status,
    ).toBe(404);
    // The audit row counts the photos of the step.
    const audit = await db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'event.feed_back')
      .where('entity_id', '=', String(id))
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!)).toMatchObject({ photos: 1 });
  });

  it('someone else’s upload cannot be claimed, and the failed report leaves nothing behind', async () => {
    const mine = await token(gridworker);
    const theirs = await token(cadre);
    const [events, photos] = [await eventRows(), await photoRows()];
    const res = await gridworker.post<{ issues: { path: string }[] }>('/api/events', {
      categoryId: garbage,
      title: '借照片',
      description: '别人的',
      nodeId: tree.grids[0]!.id,
      photos: [mine, theirs],
    });
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i) => i.path)).toEqual(['body.photos.1']);
    expect(await eventRows()).toBe(events);
    expect(await photoRows()).toBe(photos);
    // Mine is still waiting and can be used.
    expect(
      (
        await gridworker.post('/api/events', {
          categoryId: garbage,
          title: '自己的',
          description: '照片',
          nodeId: tree.grids[0]!.id,
          photos: [mine],
        })
      ).status,
    ).toBe(201);
  });

  it('refuses what is not a photo and an empty file with a 400 naming the file, and a file over the limit with 413 while it streams', async () => {
    const photos = await photoRows();
    const big = await upload(gridworker, Buffer.concat([JPEG, Buffer.alloc(LIMITS.photoBytes)]));
    expect(big.status).toBe(413);
    expect(String(big.headers['content-type'])).toMatch(/^application\/problem\+json/);
    for (const [data, code] of [
      [Buffer.from('<svg onload="alert(1)"/>'), 'type'],
      [Buffer.alloc(0), 'empty'],
    ] as const) {
      const res = await upload(gridworker, data);
      expect(res.status, code).toBe(400);
      expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
      expect(res.body.issues).toEqual([expect.objectContaining({ path: 'body.file', code })]);
    }
    expect(await photoRows()).toBe(photos);
    // A person without any events role may not upload at all.
    await makeUser(db, 'mediator', [{ role: 'mediator', node: tree.towns[0]! }]);
    expect((await upload(await t.login('mediator'), PNG)).status).toBe(403);
  });

  it('keeps the picture of a JPEG but not where it was taken (EXIF) nor its comments; answers 304 to a known ETag', async () => {
    const segment = (marker: number, body: Buffer) =>
      Buffer.concat([
        Buffer.from([0xff, marker]),
        Buffer.from([(body.length + 2) >> 8, (body.length + 2) & 0xff]),
        body,
      ]);
    const exif = segment(0xe1, Buffer.from('Exif\u0000\u0000GPSLatitude 30.2 119.7 iPhone 15', 'latin1'));
    const icc = segment(0xe2, Buffer.from('ICC_PROFILE\u0000sRGB', 'latin1'));
    const comment = segment(0xfe, Buffer.from('taken at home', 'latin1'));
    const quant = segment(0xdb, Buffer.alloc(65, 1));
    const scan = Buffer.concat([
      Buffer.from([0xff, 0xda, 0x00, 0x08]),
      Buffer.alloc(6, 2),
      Buffer.alloc(500, 3),
      Buffer.from([0xff, 0xd9]),
    ]);
    const camera = Buffer.concat([Buffer.from([0xff, 0xd8]), exif, icc, comment, quant, scan]);
    const tok = await token(gridworker, camera);
    const rep = await gridworker.post<{ event: EventDetail }>('/api/events', {
      categoryId: garbage,
      title: '带定位的照片',
      description: '手机拍摄',
      nodeId: tree.grids[0]!.id,
      photos: [tok],
    });
    const url = `/api/events/${rep.body.event.id}/photos/${rep.body.event.history[0]!.photos[0]!.id}`;
    const got = await gridworker.get(url);
    const kept = got.raw.rawPayload;
    expect(kept.equals(Buffer.concat([Buffer.from([0xff, 0xd8]), icc, quant, scan]))).toBe(true);
    expect(kept.toString('latin1')).not.toContain('GPS');
    expect(rep.body.event.history[0]!.photos[0]!.sizeBytes).toBe(kept.length);
    const again = await gridworker.request({
      method: 'GET',
      url,
      headers: { 'if-none-match': String(got.headers.etag) },
    });
    expect(again.status).toBe(304);
    expect(again.raw.rawPayload.length).toBe(0);
  });

  it('caps what residents may leave waiting: 429 once the held public uploads are too many', async () => {
    const anon = t.anon();
    // A quarter-gigabyte of abandoned resident uploads (the row says so; the bytes need not be real).
    await db
      .insertInto('event_photos')
      .values({
        token_hash: 'f'.repeat(64),
        event_id: null,
        history_id: null,
        mime: 'image/png',
        size_bytes: 256 * 1024 * 1024,
        sha256: '0'.repeat(64),
        data: PNG,
        uploaded_by_user_id: null,
        created_at: clock,
        attached_at: null,
      })
      .execute();
    const res = await upload(anon, PNG, '/api/public/event-photos');
    expect(res.status).toBe(429);
    // Staff uploads are not held back by residents'.
    expect((await upload(gridworker, PNG)).status).toBe(201);
    await db.deleteFrom('event_photos').where('token_hash', '=', 'f'.repeat(64)).execute();
    expect((await upload(anon, PNG, '/api/public/event-photos')).status).toBe(201);
  });

  it('the resident’s form sends photos without login; staff see them, the tracking page does not', async () => {
    const anon = t.anon();
    const up = await upload(anon, PNG, '/api/public/event-photos');
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    // A staff upload is not claimable by an anonymous report, nor the other way round.
    const staffToken = await token(gridworker);
    const mixed = await anon.post<{ issues: { path: string }[] }>('/api/public/events', {
      categoryId: garbage,
      description: '路灯坏了',
      nodeId: tree.grids[0]!.id,
      photos: [up.body.token, staffToken],
    });
    expect(mixed.status).toBe(400);
    expect(mixed.body.issues.map((i) => i.path)).toEqual(['body.photos.1']);
    const rep = await anon.post<{ trackingCode: string }>('/api/public/events', {
      categoryId: garbage,
      description: '路灯坏了',
      nodeId: tree.grids[0]!.id,
      photos: [up.body.token],
    });
    expect(rep.status, JSON.stringify(rep.body)).toBe(201);
    const { id } = await db
      .selectFrom('events')
      .select('id')
      .where('tracking_code', '=', rep.body.trackingCode)
      .executeTakeFirstOrThrow();
    const seen = await cadre.get<EventDetail>(`/api/events/${id}`);
    expect(seen.body.history[0]!.photos).toHaveLength(1);
    const track = await anon.get<TrackingView>(`/api/public/events/${rep.body.trackingCode}`);
    expect(JSON.stringify(track.body)).not.toContain('photo');
    // The photo URL needs a login.
    expect((await anon.get(`/api/events/${id}/photos/${seen.body.history[0]!.photos[0]!.id}`)).status).toBe(
      401,
    );
  });

  it('the sweep drops uploads nobody used within a day, and keeps claimed photos', async () => {
    const abandoned = await token(gridworker);
    const claimed = await db
      .selectFrom('event_photos')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('event_id', 'is not', null)
      .executeTakeFirstOrThrow();
    clock = '2026-09-26T02:00:01.000Z';
    const admin = await t.login('admin');
    expect((await admin.post('/api/events/sweep')).status).toBe(200);
    expect(await db.selectFrom('event_photos').select('id').where('event_id', 'is', null).execute()).toEqual(
      [],
    );
    expect(
      Number(
        (
          await db
            .selectFrom('event_photos')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('event_id', 'is not', null)
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(Number(claimed.n));
    const late = await gridworker.post<{ issues: { path: string }[] }>('/api/events', {
      categoryId: garbage,
      title: '太迟',
      description: '照片已清',
      nodeId: tree.grids[0]!.id,
      photos: [abandoned],
    });
    expect(late.status).toBe(400);
  });
});
