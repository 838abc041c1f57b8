// The security headers: on every answer (a route's, a problem, an unknown path), the same set,
// with the content security policy the web app needs and nothing that would let it be framed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
