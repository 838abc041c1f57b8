// Open311 GeoReport v2, black box, written from the published spec (wiki.open311.org/GeoReport_v2 and
// /Service_Discovery), not from our code: it imports only the test harness. Every check runs in both
// formats; XML is read with a real parser (fast-xml-parser) after a well-formedness check.
// A last part checks our own side of it through the database: attribution to the key, the limits.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/index.js';
import { buildTestApp, type Client, type TestApp } from '../../test/harness.js';
import { makeCast, makeTree, type Tree } from '../../test/factories.js';

const BASE = '/open311/v2';
const FORMATS = ['json', 'xml'] as const;
type Format = (typeof FORMATS)[number];
/** "XML: Content-Type: text/xml", "JSON: Content-Type: application/json" — exactly, with no charset. */
const CONTENT_TYPE: Record<Format, string> = { json: 'application/json', xml: 'text/xml' };
/** The spec's lists: each list element and the name of its items (the Spark convention maps them to JSON arrays). */
const LISTS: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  errors: 'error',
};
const ITEMS = new Set(Object.values(LISTS));
const W3_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

let t: TestApp;
let db: DB;
let tree: Tree;
let admin: Client;
let anon: Client;
let apiKey: string;

/** The square of grid i: 0.01° wide, side by side, so a point lies in exactly one grid. */
const square = (i: number) => [
  [119.7 + i * 0.01, 30.2],
  [119.71 + i * 0.01, 30.2],
  [119.71 + i * 0.01, 30.21],
  [119.7 + i * 0.01, 30.21],
  [119.7 + i * 0.01, 30.2],
];
const inGrid = (i: number, dx = 0) => ({ lat: '30.205', long: String(119.705 + i * 0.01 + dx) });

beforeAll(async () => {
  t = await buildTestApp();
  db = t.database.db;
  tree = await makeTree(db);
  for (const [i, g] of tree.grids.entries())
    await db
      .updateTable('nodes')
      .set({ polygon: JSON.stringify({ type: 'Polygon', coordinates: [square(i)] }) })
      .where('id', '=', g.id)
      .execute();
  await makeCast(db, tree);
  admin = await t.login('admin');
  anon = t.anon();
  // "API keys managed by the administrator".
  const k = await admin.post<{ key: string }>('/api/open311-keys', { name: 'spec test client' });
  expect(k.status, JSON.stringify(k.body)).toBe(201);
  apiKey = k.body.key;
});
afterAll(async () => t.close());

// ------------------------------------------------------------------ reading answers as the spec writes them

type Json = null | string | number | boolean | Json[] | { [k: string]: Json };
interface Answer {
  status: number;
  contentType: string;
  /** The JSON answer, or the XML answer mapped to the same shape (lists under their root, items as array entries). */
  data: Json;
  raw: string;
}

const xml = new XMLParser({
  parseTagValue: false,
  ignoreAttributes: true,
  isArray: (name) => ITEMS.has(name),
});

/** <services><service>…</service></services> → [{…}], by the Spark convention; empty elements are null. */
function fromXml(name: string, v: unknown): Json {
  const item = LISTS[name];
  if (item) {
    if (v === '' || v === undefined || v === null) return [];
    const items = (v as Record<string, unknown>)[item];
    return ((items ?? []) as unknown[]).map((x) => fromXml(item, x));
  }
  if (v === '' || v === undefined || v === null) return null;
  if (typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fromXml(k, x)]),
    );
  return v as string;
}

async function call(
  c: Client,
  method: 'GET' | 'POST',
  path: string,
  format: Format,
  form?: string,
): Promise<Answer> {
  const res = await c.request({
    method,
    url: `${BASE}/${path}`.replace('{fmt}', format),
    ...(form === undefined
      ? {}
      : { payload: form, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } }),
  });
  const raw = res.raw.body;
  const contentType = String(res.headers['content-type'] ?? '');
  let data: Json;
  if (format === 'json') data = JSON.parse(raw) as Json;
  else {
    // "the root element must be preceded with the XML declaration including the encoding="UTF-8" attribute"
    expect(raw, raw).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?>/i);
    expect(XMLValidator.validate(raw), raw).toBe(true);
    const doc = xml.parse(raw) as Record<string, unknown>;
    const root = Object.keys(doc).find((k) => k !== '?xml')!;
    data = fromXml(root, doc[root]);
  }
  return { status: res.status, contentType, data, raw };
}

/** Scalars compared as text: XML carries text, JSON numbers and booleans. */
const text = (v: Json | undefined) =>
  v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : String(v);
const list = (a: Answer) => a.data as { [k: string]: Json }[];
const obj = (a: Answer) => a.data as { [k: string]: Json };

/** "HTTP status plus a list of code and description" */
function expectError(a: Answer, status: number, format: Format, mentions?: RegExp) {
  expect(a.status, a.raw).toBe(status);
  expect(a.contentType).toBe(CONTENT_TYPE[format]);
  const errors = list(a);
  expect(Array.isArray(errors) && errors.length > 0, a.raw).toBe(true);
  for (const e of errors) {
    expect(text(e.code), a.raw).toMatch(/\S/);
    expect(text(e.description), a.raw).toMatch(/\S/);
  }
  if (mentions) expect(errors.map((e) => text(e.description)).join(' | ')).toMatch(mentions);
}

/** application/x-www-form-urlencoded, brackets left as the spec's example writes them (attribute[CODE]=…). */
const form = (fields: Record<string, string | undefined>) =>
  Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k.replace(/[^[\]]+/g, encodeURIComponent)}=${encodeURIComponent(v!)}`)
    .join('&');

// ------------------------------------------------------------------ services, found through the API itself

interface Services {
  /** A service with no required attribute, and one with a required attribute (its code and a valid value). */
  plain: string;
  withRequired: { code: string; attribute: string; value: string };
}
let services: Services;

async function findServices(): Promise<Services> {
  const all = list(await call(anon, 'GET', 'services.{fmt}', 'json'));
  let plain: string | undefined;
  let withRequired: Services['withRequired'] | undefined;
  for (const s of all) {
    const code = text(s.service_code)!;
    if (s.metadata !== true) {
      plain ??= code;
      continue;
    }
    const def = obj(await call(anon, 'GET', `services/${code}.{fmt}`, 'json'));
    const required = (def.attributes as { [k: string]: Json }[]).find(
      (a) => a.required === true && a.datatype === 'singlevaluelist',
    );
    if (required && !withRequired) {
      const values = required.values as { key: Json }[];
      withRequired = { code, attribute: text(required.code)!, value: text(values[0]!.key)! };
    }
  }
  expect(plain).toBeDefined();
  expect(withRequired).toBeDefined();
  return { plain: plain!, withRequired: withRequired! };
}

function post(format: Format, fields: Record<string, string | undefined>) {
  return call(anon, 'POST', 'requests.{fmt}', format, form(fields));
}

describe.each(FORMATS)('Open311 GeoReport v2 in %s', (format) => {
  beforeAll(async () => {
    services ??= await findServices();
  });

  it('discovery: changeset, contact, key_service and a GeoReport v2 endpoint offering both formats', async () => {
    const a = await call(anon, 'GET', 'discovery.{fmt}', format);
    expect(a.status, a.raw).toBe(200);
    expect(a.contentType).toBe(CONTENT_TYPE[format]);
    const d = obj(a);
    for (const f of ['changeset', 'contact', 'key_service']) expect(text(d[f]), f).toMatch(/\S/);
    const endpoints = d.endpoints as { [k: string]: Json }[];
    const v2 = endpoints.find((e) => e.specification === 'http://wiki.open311.org/GeoReport_v2');
    expect(v2, a.raw).toBeDefined();
    expect(text(v2!.url)).toMatch(/^https?:\/\/.+\/open311\/v2$/);
    expect(['production', 'test']).toContain(v2!.type);
    expect(text(v2!.changeset)).toMatch(/\S/);
    expect([...(v2!.formats as Json[])].sort()).toEqual(['application/json', 'text/xml']);
  });

  it('services: every service has its code, name, description, metadata, type, keywords and group', async () => {
    const a = await call(anon, 'GET', 'services.{fmt}', format);
    expect(a.status, a.raw).toBe(200);
    expect(a.contentType).toBe(CONTENT_TYPE[format]);
    const all = list(a);
    expect(all.length).toBeGreaterThan(3);
    const codes = new Set<string>();
    for (const s of all) {
      for (const f of ['service_code', 'service_name', 'type', 'group'])
        expect(text(s[f]), `${f} of ${JSON.stringify(s)}`).toMatch(/\S/);
      expect('description' in s && 'keywords' in s, JSON.stringify(s)).toBe(true);
      expect(['true', 'false']).toContain(text(s.metadata));
      expect(['realtime', 'batch', 'blackbox']).toContain(s.type);
      codes.add(text(s.service_code)!);
    }
    expect(codes.size).toBe(all.length);
  });

  it('a service definition lists its attributes; an unknown service_code is 404', async () => {
    const a = await call(anon, 'GET', `services/${services.withRequired.code}.{fmt}`, format);
    expect(a.status, a.raw).toBe(200);
    expect(a.contentType).toBe(CONTENT_TYPE[format]);
    const def = obj(a);
    expect(text(def.service_code)).toBe(services.withRequired.code);
    const attributes = def.attributes as { [k: string]: Json }[];
    expect(attributes.length).toBeGreaterThan(0);
    const orders = new Set<number>();
    for (const at of attributes) {
      expect(['true', 'false']).toContain(text(at.variable));
      expect(text(at.code)).toMatch(/\S/);
      expect(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']).toContain(
        at.datatype,
      );
      expect(['true', 'false']).toContain(text(at.required));
      expect('datatype_description' in at && 'description' in at, JSON.stringify(at)).toBe(true);
      const order = Number(text(at.order));
      expect(Number.isInteger(order) && order >= 1).toBe(true);
      orders.add(order);
      if (at.datatype === 'singlevaluelist' || at.datatype === 'multivaluelist') {
        const values = at.values as { [k: string]: Json }[];
        expect(values.length).toBeGreaterThan(0);
        for (const v of values) {
          expect(text(v.key)).toMatch(/\S/);
          expect(text(v.name)).toMatch(/\S/);
        }
      }
    }
    // "Any positive integer not used for other attributes in the same service_code"
    expect(orders.size).toBe(attributes.length);
    expectError(await call(anon, 'GET', 'services/no.such.service.{fmt}', format), 404, format);
  });

  it('POST without required fields: 400 with the error list; without or with a bad api_key: 403', async () => {
    const place = inGrid(0, 0.001);
    // "403 - Missing or Invalid API Key"
    expectError(
      await post(format, { service_code: services.plain, ...place, description: 'no key' }),
      403,
      format,
    );
    expectError(
      await post(format, {
        api_key: 'not-a-key-we-issued',
        service_code: services.plain,
        ...place,
        description: 'bad key',
      }),
      403,
      format,
      /api_key/i,
    );
    // Required: service_code, a location, the attributes a definition marks required.
    expectError(
      await post(format, { api_key: apiKey, ...place, description: 'no service' }),
      400,
      format,
      /service_code/,
    );
    expectError(
      await post(format, { api_key: apiKey, service_code: services.plain, description: 'no location' }),
      400,
      format,
      /lat|long|location/i,
    );
    expectError(
      await post(format, {
        api_key: apiKey,
        service_code: services.plain,
        lat: place.lat,
        description: 'lat without long',
      }),
      400,
      format,
      /long/,
    );
    expectError(
      await post(format, {
        api_key: apiKey,
        service_code: services.withRequired.code,
        ...place,
        description: 'no attribute',
      }),
      400,
      format,
      new RegExp(services.withRequired.attribute),
    );
    // "404 - service_code … was not found"
    expectError(
      await post(format, { api_key: apiKey, service_code: 'no.such.service', ...place }),
      404,
      format,
    );
    // This jurisdiction cannot place a bare address on its map yet: it says so.
    expectError(
      await post(format, {
        api_key: apiKey,
        service_code: services.plain,
        address_string: '1234 5th street',
        description: 'address only',
      }),
      400,
      format,
      /须提供 lat\/long/,
    );
  });

  it('POST a request, then GET it by id, by token and by filters; no personal data comes back', async () => {
    const created = await post(format, {
      api_key: apiKey,
      jurisdiction_id: 'linli.test',
      service_code: services.withRequired.code,
      ...inGrid(0, 0.002),
      address_string: '锦城街道 1 号',
      email: 'reporter@example.com',
      device_id: 'tt222111',
      account_id: '123456',
      first_name: '小明',
      last_name: '王',
      phone: '13812345678',
      description: `A large pile of rubbish (${format})`,
      media_url: 'https://img.example.com/p/1.jpg',
      [`attribute[${services.withRequired.attribute}]`]: services.withRequired.value,
    });
    expect(created.status, created.raw).toBe(200);
    expect(created.contentType).toBe(CONTENT_TYPE[format]);
    const [made] = list(created);
    expect(list(created)).toHaveLength(1);
    const id = text(made!.service_request_id);
    const token = text(made!.token);
    expect(id ?? token, created.raw).toMatch(/\S/);
    expect('service_notice' in made! || 'account_id' in made!).toBe(true);

    // GET service_request_id from a token → [{service_request_id, token}]
    if (token) {
      const byToken = await call(anon, 'GET', `tokens/${token}.{fmt}`, format);
      expect(byToken.status, byToken.raw).toBe(200);
      expect(byToken.contentType).toBe(CONTENT_TYPE[format]);
      expect(list(byToken).map((r) => [text(r.service_request_id), text(r.token)])).toEqual([
        [id ?? text(list(byToken)[0]!.service_request_id), token],
      ]);
    }
    expectError(await call(anon, 'GET', 'tokens/NOSUCHTOKEN0.{fmt}', format), 404, format);
    const requestId =
      id ?? text(list(await call(anon, 'GET', `tokens/${token}.{fmt}`, format))[0]!.service_request_id)!;

    // GET a service request → a list of one
    const one = await call(anon, 'GET', `requests/${requestId}.{fmt}`, format);
    expect(one.status, one.raw).toBe(200);
    expect(one.contentType).toBe(CONTENT_TYPE[format]);
    expect(list(one)).toHaveLength(1);
    const r = list(one)[0]!;
    expect(text(r.service_request_id)).toBe(requestId);
    expect(r.status).toBe('open');
    expect(text(r.service_code)).toBe(services.withRequired.code);
    expect(text(r.service_name)).toMatch(/\S/);
    expect(text(r.description)).toBe(`A large pile of rubbish (${format})`);
    expect(text(r.requested_datetime)).toMatch(W3_DATETIME);
    expect(text(r.updated_datetime)).toMatch(W3_DATETIME);
    expect(Number(text(r.lat))).toBeCloseTo(30.205, 6);
    expect(Number(text(r.long))).toBeCloseTo(119.707, 6);
    expect(text(r.address)).toBe('锦城街道 1 号');
    expect(text(r.media_url)).toBe('https://img.example.com/p/1.jpg');
    for (const f of ['status_notes', 'agency_responsible', 'service_notice', 'expected_datetime'])
      expect(f in r, f).toBe(true);
    expectError(await call(anon, 'GET', 'requests/999999999.{fmt}', format), 404, format);

    // GET service requests: by ids, by service and status, by dates.
    const other = list(
      await post(format, {
        api_key: apiKey,
        service_code: services.plain,
        ...inGrid(1),
        description: 'another one',
      }),
    )[0]!;
    const otherId = text(other.service_request_id)!;
    const byIds = await call(
      anon,
      'GET',
      `requests.{fmt}?service_request_id=${requestId},${otherId}`,
      format,
    );
    expect(byIds.status, byIds.raw).toBe(200);
    expect(byIds.contentType).toBe(CONTENT_TYPE[format]);
    expect(
      list(byIds)
        .map((x) => text(x.service_request_id))
        .sort(),
    ).toEqual([requestId, otherId].sort());
    const byService = list(
      await call(anon, 'GET', `requests.{fmt}?service_code=${services.plain}&status=open`, format),
    );
    expect(byService.map((x) => text(x.service_request_id))).toContain(otherId);
    expect(byService.every((x) => text(x.service_code) === services.plain && x.status === 'open')).toBe(true);
    const noFilter = list(await call(anon, 'GET', 'requests.{fmt}', format)).map((x) =>
      text(x.service_request_id),
    );
    expect(noFilter).toEqual(expect.arrayContaining([requestId, otherId]));
    const day = 86_400_000;
    const window = `start_date=${new Date(Date.now() - day).toISOString()}&end_date=${new Date(Date.now() + day).toISOString()}`;
    expect(
      list(await call(anon, 'GET', `requests.{fmt}?${window}`, format)).map((x) =>
        text(x.service_request_id),
      ),
    ).toContain(requestId);
    const before = `start_date=2010-01-01T00:00:00Z&end_date=2010-03-01T00:00:00Z`;
    expect(list(await call(anon, 'GET', `requests.{fmt}?${before}`, format))).toEqual([]);
    // "may not span more than 90 days"
    expectError(
      await call(
        anon,
        'GET',
        'requests.{fmt}?start_date=2010-01-01T00:00:00Z&end_date=2010-06-01T00:00:00Z',
        format,
      ),
      400,
      format,
      /最多相隔 90 天/,
    );
    expectError(await call(anon, 'GET', 'requests.{fmt}?status=pending', format), 400, format, /status/);

    // None of what the reporter said about themselves is published.
    for (const a of [one, byIds])
      for (const secret of ['小明', '王小明', '13812345678', '5678', 'reporter@example.com', 'tt222111'])
        expect(a.raw).not.toContain(secret);
  });

  it('a request the district rejects is closed, with the reason as status_notes', async () => {
    const made = list(
      await post(format, {
        api_key: apiKey,
        service_code: services.plain,
        ...inGrid(0, -0.001),
        description: 'to be rejected',
      }),
    )[0]!;
    const id = text(made.service_request_id)!;
    const cadre = await t.login('cadre');
    const rejected = await cadre.post(`/api/events/${id}/actions`, {
      action: 'reject',
      reason: '不属于受理范围 Not ours to handle',
    });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    const r = list(await call(anon, 'GET', `requests/${id}.{fmt}`, format))[0]!;
    expect(r.status).toBe('closed');
    expect(text(r.status_notes)).toBe('不属于受理范围 Not ours to handle');
    const closed = list(
      await call(anon, 'GET', `requests.{fmt}?status=closed&service_code=${services.plain}`, format),
    );
    expect(closed.map((x) => text(x.service_request_id))).toContain(id);
    expect(closed.every((x) => x.status === 'closed')).toBe(true);
    const open = list(await call(anon, 'GET', `requests.{fmt}?status=open`, format));
    expect(open.map((x) => text(x.service_request_id))).not.toContain(id);
  });

  it('a key the administrator revoked is refused with 403', async () => {
    const k = await admin.post<{ id: number; key: string }>('/api/open311-keys', {
      name: `revoked ${format}`,
    });
    expect(
      list(
        await post(format, {
          api_key: k.body.key,
          service_code: services.plain,
          ...inGrid(2),
          description: 'works',
        }),
      ).length,
    ).toBe(1);
    expect((await admin.delete(`/api/open311-keys/${k.body.id}`)).status).toBe(200);
    expectError(
      await post(format, {
        api_key: k.body.key,
        service_code: services.plain,
        ...inGrid(2),
        description: 'refused',
      }),
      403,
      format,
      /api_key/i,
    );
  });
});

describe('formats and misses', () => {
  it('an unknown format or resource is 404 with the error list; content types carry no charset', async () => {
    for (const path of [
      'services.html',
      'discovery.yaml',
      'requests/1.csv',
      'nothing.json',
      'services/x.txt',
    ]) {
      const res = await anon.get(`${BASE}/${path}`);
      expect(res.status, path).toBe(404);
      expect(['text/xml', 'application/json']).toContain(res.headers['content-type']);
    }
    const json = await anon.get(`${BASE}/nothing.json`);
    expect(json.headers['content-type']).toBe('application/json');
    expect(JSON.parse(json.raw.body)).toEqual([{ code: 404, description: expect.any(String) as unknown }]);
  });

  it('POST accepts form bodies only: a JSON body is refused in the error format, not as problem+json', async () => {
    const res = await anon.request({
      method: 'POST',
      url: `${BASE}/requests.json`,
      payload: JSON.stringify({ api_key: apiKey }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers['content-type']).toBe('application/json');
    expect(Array.isArray(JSON.parse(res.raw.body))).toBe(true);
    // The rest of the API still speaks JSON only.
    const api = await admin.request({
      method: 'POST',
      url: '/api/open311-keys',
      payload: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(api.status).toBe(415);
  });
});

// ------------------------------------------------------------------ our side, through the database

describe('attribution, keys and limits (our side)', () => {
  it('a request is attributed to its key, on the open311 channel, and the key’s last use is kept', async () => {
    const k = await admin.post<{ id: number; key: string; prefix: string }>('/api/open311-keys', {
      name: 'attribution',
    });
    expect(k.body.key.startsWith(k.body.prefix)).toBe(true);
    expect(k.body.prefix).toHaveLength(8);
    const made = list(
      await post('json', {
        api_key: k.body.key,
        service_code: services.plain,
        ...inGrid(0, 0.003),
        first_name: 'Ming',
        last_name: 'Wang',
        phone: '13812345679',
      }),
    )[0]!;
    const e = await db
      .selectFrom('events')
      .selectAll()
      .where('id', '=', Number(made.service_request_id))
      .executeTakeFirstOrThrow();
    expect(e).toMatchObject({
      channel: 'open311',
      api_key_id: k.body.id,
      reporter_user_id: null,
      reporter_name: 'Ming Wang',
      reporter_phone_masked: '138****5679',
    });
    const row = await db
      .selectFrom('open311_keys')
      .selectAll()
      .where('id', '=', k.body.id)
      .executeTakeFirstOrThrow();
    expect(row.last_used_at).not.toBeNull();
    expect(row.key_hash).not.toContain(k.body.key);
    // The list shows the prefix, never the key.
    const keys = await admin.get<{
      items: { id: number; prefix: string; lastUsedAt: string | null; createdBy: string }[];
    }>('/api/open311-keys');
    expect(keys.status).toBe(200);
    expect(JSON.stringify(keys.body)).not.toContain(k.body.key);
    expect(keys.body.items.find((i) => i.id === k.body.id)).toMatchObject({
      prefix: k.body.prefix,
      createdBy: 'admin',
      lastUsedAt: row.last_used_at,
    });
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('entity_type', '=', 'open311_key')
      .execute();
    expect(audit).toContainEqual({ action: 'open311_key.create', entity_id: String(k.body.id) });
  });

  it('only a district-level administrator manages keys; revoking twice is 409', async () => {
    for (const name of ['townadmin', 'commander', 'gridworker']) {
      const c = await t.login(name);
      expect((await c.get('/api/open311-keys')).status, name).toBe(403);
      expect((await c.post('/api/open311-keys', { name: 'x' })).status, name).toBe(403);
    }
    const k = await admin.post<{ id: number }>('/api/open311-keys', { name: 'twice' });
    expect((await admin.delete(`/api/open311-keys/${k.body.id}`)).status).toBe(200);
    expect((await admin.delete(`/api/open311-keys/${k.body.id}`)).status).toBe(409);
    expect((await admin.delete('/api/open311-keys/999999')).status).toBe(404);
  });

  it('staff reports publish no description; non-public categories are not requests at all', async () => {
    const cats = new Map(
      (await db.selectFrom('event_categories').select(['id', 'code']).execute()).map((c) => [c.code, c.id]),
    );
    const gridworker = await t.login('gridworker');
    const patrol = await gridworker.post<{ event: { id: number } }>('/api/events', {
      categoryId: cats.get(services.plain),
      title: '巡查',
      description: '巡查员的内部记录',
      lat: 30.205,
      lng: 119.7055,
    });
    expect(patrol.status, JSON.stringify(patrol.body)).toBe(201);
    const r = list(await call(anon, 'GET', `requests/${patrol.body.event.id}.{fmt}`, 'json'))[0]!;
    expect(r.description).toBeNull();
    const secret = await gridworker.post<{ event: { id: number } }>('/api/events', {
      categoryId: cats.get('security.suspicious'),
      title: '可疑',
      description: '内部',
      lat: 30.205,
      lng: 119.7055,
    });
    expect(secret.status).toBe(201);
    expect((await call(anon, 'GET', `requests/${secret.body.event.id}.{fmt}`, 'json')).status).toBe(404);
    expect(
      list(await call(anon, 'GET', `requests.{fmt}?service_request_id=${secret.body.event.id}`, 'json')),
    ).toEqual([]);
  });

  it('by default the last 90 days, newest first, at most 1,000; at most 100 ids', async () => {
    const template = await db
      .selectFrom('events')
      .selectAll()
      .where('channel', '=', 'open311')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const { id: _id, ...row } = template;
    const old = new Date(Date.now() - 100 * 86_400_000).toISOString();
    await db
      .insertInto('events')
      .values({ ...row, tracking_code: 'LAOLD0000001', created_at: old, updated_at: old })
      .execute();
    const oldId = (
      await db
        .selectFrom('events')
        .select('id')
        .where('tracking_code', '=', 'LAOLD0000001')
        .executeTakeFirstOrThrow()
    ).id;
    const recent = list(await call(anon, 'GET', 'requests.{fmt}', 'json'));
    expect(recent.map((x) => text(x.service_request_id))).not.toContain(String(oldId));
    const times = recent.map((x) => text(x.requested_datetime)!);
    expect([...times].sort().reverse()).toEqual(times);
    const then = `start_date=${new Date(Date.now() - 120 * 86_400_000).toISOString()}&end_date=${new Date(Date.now() - 60 * 86_400_000).toISOString()}`;
    expect(
      list(await call(anon, 'GET', `requests.{fmt}?${then}`, 'json')).map((x) => text(x.service_request_id)),
    ).toEqual([String(oldId)]);

    const now = new Date().toISOString();
    const copies = Array.from({ length: 1005 }, (_, i) => ({
      ...row,
      tracking_code: `LABULK${String(i).padStart(6, '0')}`,
      created_at: now,
      updated_at: now,
    }));
    for (let i = 0; i < copies.length; i += 200)
      await db
        .insertInto('events')
        .values(copies.slice(i, i + 200))
        .execute();
    expect(list(await call(anon, 'GET', 'requests.{fmt}', 'json'))).toHaveLength(1000);
    const ids = Array.from({ length: 101 }, (_, i) => i + 1).join(',');
    expectError(
      await call(anon, 'GET', `requests.{fmt}?service_request_id=${ids}`, 'xml'),
      400,
      'xml',
      /100/,
    );
  });
});
