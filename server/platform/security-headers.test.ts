// The security headers: on every answer (a route's, a problem, an unknown path), the same set,
// with the content security policy the web app needs and nothing that would let it be framed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { buildTestApp, type TestApp } from '../test/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

describe('security headers', () => {
  it('are on a route’s answer, a problem and an unknown path alike', async () => {
    const answers = await Promise.all(
      ['/api/health', '/api/auth/me', '/api/no-such-route'].map((url) =>
        t.app.inject({ method: 'GET', url }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([200, 401, 404]);
    for (const a of answers) {
      expect(a.headers['content-security-policy']).toBe(
        "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data: blob:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' 'unsafe-inline';connect-src 'self'",
      );
      expect(a.headers).toMatchObject({
        'x-frame-options': 'SAMEORIGIN',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-resource-policy': 'same-origin',
        'x-permitted-cross-domain-policies': 'none',
      });
      expect(a.headers['strict-transport-security']).toBeUndefined();
      expect(a.headers['x-powered-by']).toBeUndefined();
      expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('map tiles (MAP_TILE_URL)', () => {
  const imgSrc = async (mapTileUrl: string) => {
    const app = await buildTestApp({ mapTileUrl });
    try {
      const res = await app.app.inject({ method: 'GET', url: '/api/config' });
      expect(res.json()).toEqual({ mapTileUrl });
      return /img-src ([^;]*)/.exec(String(res.headers['content-security-policy']))?.[1];
    } finally {
      await app.close();
    }
  };

  it('a tile server of its own origin is let in for images; tiles under this origin need nothing', async () => {
    expect(await imgSrc('http://10.12.0.5:8080/tiles/{z}/{x}/{y}.png')).toBe(
      "'self' data: blob: http://10.12.0.5:8080",
    );
    expect(await imgSrc('https://{s}.tiles.example.gov.cn/{z}/{x}/{-y}.png')).toBe(
      "'self' data: blob: https://*.tiles.example.gov.cn",
    );
    expect(await imgSrc('/tiles/{z}/{x}/{y}.png')).toBe("'self' data: blob:");
  });

  it('a template without {z}, {x} and {y}, or not a URL or a path, is refused at start', () => {
    for (const bad of ['tiles/{z}/{x}/{y}.png', 'https://tiles.example/{z}/{x}.png', 'ftp://x/{z}/{x}/{y}'])
      expect(() => loadConfig({ MAP_TILE_URL: bad, DATA_DIR: ':memory:' }), bad).toThrow(/MAP_TILE_URL/);
  });
});
