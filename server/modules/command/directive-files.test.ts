// Directive attachments through the API on both databases: uploads held under one-time tokens,
// claimed by a directive, a relay or a report-back in its transaction, downloaded only by who may
// see them, and dropped by the sweep when nobody used them within a day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectiveDetail, BoardResponse } from '../../../common/contracts/command.js';
import { LIMITS } from '../../../common/limits.js';
import type { DB } from '../../db/index.js';
import { buildTestApp, type Client, type TestApp } from '../../test/harness.js';
import { makeCast, makeTree, makeUser, type Tree } from '../../test/factories.js';
import { officePackage } from '../../test/files.js';
import { multipart } from '../../test/routes.js';

let t: TestApp;
let db: DB;
let tree: Tree;
let clockMs = Date.parse('2026-03-02T02:00:00.000Z');
const clock = () => new Date(clockMs).toISOString();
const inHours = (h: number) => new Date(clockMs + h * 3_600_000).toISOString();
let commander: Client, towncmd: Client, cadre: Client, gw0: Client, gw1: Client, mediator: Client;

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);
/** A Word package as Word writes one: a ZIP whose [Content_Types].xml names its main part. */
const DOCX = officePackage('docx');
const EXE = Buffer.concat([Buffer.from('MZ\u0090\u0000', 'latin1'), Buffer.alloc(200, 1)]);

async function upload(c: Client, data: Buffer, filename = '通知.pdf') {
  return c.request<{
    token: string;
    name: string;
    mime: string;
    sizeBytes: number;
    issues?: { path: string; code: string }[];
  }>({
    method: 'POST',
    url: '/api/directive-files',
    ...multipart([{ name: 'file', filename, data, contentType: 'application/octet-stream' }]),
  });
}
async function token(c: Client, data = PDF, filename = '通知.pdf') {
  const res = await upload(c, data, filename);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.token;
}
const fileRows = async () =>
  Number(
    (
      await db
        .selectFrom('directive_files')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const attachedRows = async () =>
  Number(
    (
      await db
        .selectFrom('directive_files')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('directive_id', 'is not', null)
        .executeTakeFirstOrThrow()
    ).n,
  );
const directiveRows = async () =>
  Number(
    (
      await db
        .selectFrom('directives')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const issue = (c: Client, body: Record<string, unknown>) =>
  c.post<DirectiveDetail & { issues?: { path: string }[] }>('/api/directives', {
    title: '返乡人员排查',
    body: '附件为排查表。',
    signDueAt: inHours(2),
    reportDueAt: inHours(24),
    ...body,
  });

beforeAll(async () => {
  t = await buildTestApp({}, { clock });
  db = t.database.db;
  tree = await makeTree(db);
  await makeCast(db, tree);
  await makeUser(db, 'gw1', [{ role: 'grid_worker', node: tree.grids[1]! }]);
  await makeUser(db, 'mediator', [{ role: 'mediator', node: tree.towns[0]! }]);
  commander = await t.login('commander');
  towncmd = await t.login('towncmd');
  cadre = await t.login('cadre');
  gw0 = await t.login('gridworker');
  gw1 = await t.login('gw1');
  mediator = await t.login('mediator');
});
afterAll(async () => t.close());

describe(`directive attachments (${process.env.LINLI_TEST_DB ?? 'sqlite'})`, () => {
  it('a directive, a relay and a report-back carry their files; each shows where it belongs; the bytes come back to who may see them', async () => {
    const a = await token(commander);
    const b = await token(commander, DOCX, '排查表.docx');
    const up = await upload(commander, PNG, 'photos/现场.png');
    expect(up.body).toMatchObject({ name: '现场.png', mime: 'image/png', sizeBytes: PNG.length });
    // From the district to both villages of town A.
    const res = await issue(commander, {
      issuerNodeId: tree.district.id,
      targets: { kind: 'level', level: 'village', within: [tree.towns[0]!.id] },
      files: [a, b, up.body.token],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const id = res.body.id;
    expect(res.body.files.map((f) => [f.name, f.mime])).toEqual([
      ['通知.pdf', 'application/pdf'],
      ['排查表.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['现场.png', 'image/png'],
    ]);
    expect(res.body.lineage.at(-1)!.files).toEqual(res.body.files);
    const pdf = res.body.files[0]!;
    const url = `/api/directives/${id}/files/${pdf.id}`;
    const got = await cadre.get(url);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['content-disposition']).toBe(
      `attachment; filename="__.pdf"; filename*=UTF-8''${encodeURIComponent('通知.pdf')}`,
    );
    expect(got.raw.rawPayload.equals(PDF)).toBe(true);
    const again = await cadre.request({
      method: 'GET',
      url,
      headers: { 'if-none-match': String(got.headers.etag) },
    });
    expect(again.status).toBe(304);
    expect(again.raw.rawPayload.length).toBe(0);
    // A grid worker of another town sees neither the directive nor its files; a token works once.
    await makeUser(db, 'gwB', [{ role: 'grid_worker', node: tree.grids[4]! }]);
    expect((await (await t.login('gwB')).get(url)).status).toBe(403);
    const reused = await issue(commander, {
      issuerNodeId: tree.district.id,
      targets: { kind: 'nodes', nodeIds: [tree.towns[1]!.id] },
      files: [a],
    });
    expect(reused.status).toBe(400);
    expect(reused.body.issues!.map((i) => i.path)).toEqual(['body.files.0']);

    // Town A relays it to its villages with its own attachment; the relay shows the whole lineage's files.
    const r = await token(towncmd, Buffer.from('镇里补充要求：逐户登记。\n'), '补充要求.txt');
    const relay = await towncmd.post<DirectiveDetail>(`/api/directives/${id}/relay`, {
      nodeId: tree.towns[0]!.id,
      instructions: '各村逐户登记',
      targets: { kind: 'level', level: 'grid', within: [tree.villages[0]!.id] },
      signDueAt: inHours(2),
      reportDueAt: inHours(20),
      files: [r],
    });
    expect(relay.status, JSON.stringify(relay.body)).toBe(201);
    expect(relay.body.files.map((f) => [f.name, f.mime])).toEqual([['补充要求.txt', 'text/plain']]);
    expect(relay.body.lineage.map((l) => l.files.length)).toEqual([3, 1]);
    // Grid A's worker reads the relay and, through it, the district's attachment above it.
    const viaRelay = await gw0.get(`/api/directives/${relay.body.id}/files/${pdf.id}`);
    expect(viaRelay.status).toBe(200);
    const txt = await gw0.get(`/api/directives/${relay.body.id}/files/${relay.body.files[0]!.id}`);
    expect(txt.headers['content-type']).toBe('text/plain; charset=utf-8');
    // A file of the relay is not served under its parent (it is not in the parent's lineage).
    expect((await cadre.get(`/api/directives/${id}/files/${relay.body.files[0]!.id}`)).status).toBe(404);

    // Each grid of village A reports back with a file of its own.
    const reports: number[] = [];
    for (const [c, grid] of [
      [gw0, tree.grids[0]!],
      [gw1, tree.grids[1]!],
    ] as const) {
      const task = (
        await c.get<{ items: { id: number; directiveId: number; node: { id: number } }[] }>(
          '/api/directives/tasks',
        )
      ).body.items.find((x) => x.directiveId === relay.body.id)!;
      expect(task.node.id).toBe(grid.id);
      expect((await c.post(`/api/directive-targets/${task.id}/sign`, {})).status).toBe(200);
      const rep = await c.post<DirectiveDetail>(`/api/directive-targets/${task.id}/report`, {
        text: '已排查',
        figures: { 户数: 12 },
        files: [await token(c, PDF, `${grid.name}反馈.pdf`)],
      });
      expect(rep.status, JSON.stringify(rep.body)).toBe(200);
      const mine = rep.body.myTargets[0]!;
      expect(mine.files.map((f) => f.name)).toEqual([`${grid.name}反馈.pdf`]);
      reports.push(mine.files[0]!.id);
    }
    // The town's board lists both reports with their files; the district's too.
    for (const c of [towncmd, commander]) {
      const board = (await c.get<BoardResponse>(`/api/directives/${relay.body.id}/board`)).body;
      expect(board.targets.flatMap((x) => x.files.map((f) => f.id)).sort()).toEqual([...reports].sort());
      expect((await c.get(`/api/directives/${relay.body.id}/files/${reports[0]}`)).status).toBe(200);
    }
    // The village cadre holds both grids; a grid worker only their own: another grid's report is refused.
    expect((await cadre.get(`/api/directives/${relay.body.id}/files/${reports[1]}`)).status).toBe(200);
    expect((await gw0.get(`/api/directives/${relay.body.id}/files/${reports[0]}`)).status).toBe(200);
    const refused = await gw0.get(`/api/directives/${relay.body.id}/files/${reports[1]}`);
    expect(refused.status).toBe(403);
    expect(String(refused.headers['content-type'])).toMatch(/^application\/problem\+json/);
    // A report file is served only under its own target's directive.
    expect((await towncmd.get(`/api/directives/${id}/files/${reports[0]}`)).status).toBe(404);
  });

  it('someone else’s, a used or an expired token fails the whole step with 400 naming it, and nothing is written', async () => {
    const mine = await token(commander);
    const theirs = await token(towncmd);
    const [directives, attached] = [await directiveRows(), await attachedRows()];
    const res = await issue(commander, {
      issuerNodeId: tree.district.id,
      targets: { kind: 'nodes', nodeIds: [tree.towns[1]!.id] },
      files: [mine, theirs],
    });
    expect(res.status).toBe(400);
    expect(res.body.issues!.map((i) => i.path)).toEqual(['body.files.1']);
    expect([await directiveRows(), await attachedRows()]).toEqual([directives, attached]);

    // A report-back with a stale upload (older than a day, not yet swept): refused, the target stays signed.
    const d = await issue(commander, {
      issuerNodeId: tree.district.id,
      targets: { kind: 'nodes', nodeIds: [tree.grids[0]!.id] },
    });
    const targetId =
      d.body.id &&
      (
        await db
          .selectFrom('directive_targets')
          .select('id')
          .where('directive_id', '=', d.body.id)
          .executeTakeFirstOrThrow()
      ).id;
    expect((await gw0.post(`/api/directive-targets/${targetId}/sign`, {})).status).toBe(200);
    const stale = await token(gw0);
    clockMs += 86_400_000 + 1000;
    const fresh = await token(gw0);
    const late = await gw0.post<{ issues: { path: string }[] }>(`/api/directive-targets/${targetId}/report`, {
      text: '已办',
      files: [fresh, stale],
    });
    expect(late.status).toBe(400);
    expect(late.body.issues.map((i) => i.path)).toEqual(['body.files.1']);
    const row = await db
      .selectFrom('directive_targets')
      .select(['state', 'report_text'])
      .where('id', '=', targetId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'signed', report_text: null });
    expect(await attachedRows()).toBe(attached);
    // Someone else's token on a report-back, too.
    const other = await gw0.post<{ issues: { path: string }[] }>(
      `/api/directive-targets/${targetId}/report`,
      { text: '已办', files: [await token(gw1)] },
    );
    expect(other.status).toBe(400);
    expect(other.body.issues.map((i) => i.path)).toEqual(['body.files.0']);
    const ok = await gw0.post<DirectiveDetail>(`/api/directive-targets/${targetId}/report`, {
      text: '已办',
      files: [fresh],
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.myTargets[0]!.files).toHaveLength(1);
    // A list repeating a token, or more than ten, is refused by the schema.
    expect(
      (
        await issue(commander, {
          issuerNodeId: tree.district.id,
          targets: { kind: 'nodes', nodeIds: [tree.towns[1]!.id] },
          files: [mine, mine],
        })
      ).status,
    ).toBe(400);
  });

  it('refuses a renamed program and an empty file with 400 naming the file, a file over 20 MB with 413 while it streams, and people without a directive role with 403', async () => {
    const rows = await fileRows();
    for (const [data, name, code] of [
      [EXE, 'report.pdf', 'type'],
      [Buffer.from('<html><script>alert(1)</script>'), 'page.html', 'type'],
      [Buffer.alloc(0), 'empty.pdf', 'empty'],
    ] as const) {
      const res = await upload(commander, data, name);
      expect(res.status, name).toBe(400);
      expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
      expect(res.body.issues).toEqual([expect.objectContaining({ path: 'body.file', code })]);
    }
    const big = await upload(commander, Buffer.concat([PDF, Buffer.alloc(LIMITS.directiveFileBytes)]));
    expect(big.status).toBe(413);
    expect(String(big.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect((await upload(mediator, PDF)).status).toBe(403);
    expect(await fileRows()).toBe(rows);
  });

  it('strips where a JPEG was taken before keeping it', async () => {
    const segment = (marker: number, body: Buffer) =>
      Buffer.concat([
        Buffer.from([0xff, marker]),
        Buffer.from([(body.length + 2) >> 8, (body.length + 2) & 0xff]),
        body,
      ]);
    const exif = segment(0xe1, Buffer.from('Exif\u0000\u0000GPSLatitude 30.2 119.7', 'latin1'));
    const scan = Buffer.concat([
      Buffer.from([0xff, 0xda, 0x00, 0x08]),
      Buffer.alloc(6, 2),
      Buffer.alloc(100, 3),
      Buffer.from([0xff, 0xd9]),
    ]);
    const camera = Buffer.concat([Buffer.from([0xff, 0xd8]), exif, scan]);
    const up = await upload(commander, camera, 'site.jpg');
    expect(up.body).toMatchObject({ mime: 'image/jpeg', sizeBytes: camera.length - exif.length });
    const d = await issue(commander, {
      issuerNodeId: tree.district.id,
      targets: { kind: 'nodes', nodeIds: [tree.towns[1]!.id] },
      files: [up.body.token],
    });
    const got = await commander.get(`/api/directives/${d.body.id}/files/${d.body.files[0]!.id}`);
    expect(got.raw.rawPayload.toString('latin1')).not.toContain('GPS');
  });

  it('the sweep drops uploads nobody used within a day and keeps attached ones', async () => {
    const abandoned = await token(commander);
    const attached = await attachedRows();
    clockMs += 86_400_000 + 1000;
    const admin = await t.login('admin');
    expect((await admin.post('/api/directives/sweep')).status).toBe(200);
    expect(
      await db.selectFrom('directive_files').select('id').where('directive_id', 'is', null).execute(),
    ).toEqual([]);
    expect(await attachedRows()).toBe(attached);
    const late = await issue(commander, {
      issuerNodeId: tree.district.id,
      targets: { kind: 'nodes', nodeIds: [tree.towns[1]!.id] },
      files: [abandoned],
    });
    expect(late.status).toBe(400);
  });
});
