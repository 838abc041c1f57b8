import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, digest, hashPassword, randomToken, sha256, verifyPassword } from './crypto.js';

/** The same object with its keys (at every depth) in another order. */
function shuffleKeys(v: unknown, seed: number): unknown {
  if (Array.isArray(v)) return v.map((x, i) => shuffleKeys(x, seed + i));
  if (v === null || typeof v !== 'object') return v;
  const entries = Object.entries(v as Record<string, unknown>);
  const rotated = entries.length
    ? [...entries.slice(seed % entries.length), ...entries.slice(0, seed % entries.length)].reverse()
    : entries;
  const out: Record<string, unknown> = {};
  for (const [k, x] of rotated)
    Object.defineProperty(out, k, {
      value: shuffleKeys(x, seed + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}

describe('canonicalJson', () => {
  it('does not depend on key order, at any depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(50), (v, seed) => {
        expect(canonicalJson(shuffleKeys(v, seed))).toBe(canonicalJson(v));
      }),
      { numRuns: 300 },
    );
  });

  it('is valid JSON that reads back to the same canonical text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps array order and string escaping, drops undefined members like JSON.stringify', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson([3, 1, 2])).not.toBe(canonicalJson([1, 2, 3]));
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson('a"\n\u0000')).toBe(JSON.stringify('a"\n\u0000'));
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson({ '"k': 1 })).toBe('{"\\"k":1}');
  });

  it('distinguishes values that differ', () => {
    expect(canonicalJson({ a: '1' })).not.toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({}));
    expect(canonicalJson({ ab: 1 })).not.toBe(canonicalJson({ a: 1, b: undefined }));
  });
});

describe('digest and sha256', () => {
  it('sha256 matches the FIPS 180-2 vector', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('digest of undefined is null; of anything else the sha256 of its canonical JSON', () => {
    expect(digest(undefined)).toBeNull();
    expect(digest(null)).toBe(sha256('null'));
    expect(digest({ b: 2, a: 1 })).toBe(sha256('{"a":1,"b":2}'));
    expect(digest({ b: 2, a: 1 })).toBe(digest({ a: 1, b: 2 }));
    expect(digest({ a: 1 })).not.toBe(digest({ a: 2 }));
  });
});

describe('tokens and passwords', () => {
  it('random tokens are url-safe and unique', () => {
    const a = randomToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken(24)).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(new Set(Array.from({ length: 50 }, () => randomToken())).size).toBe(50);
  });

  it('argon2id hashes verify the right password only, and a garbage hash is just false', async () => {
    const h = await hashPassword('correct-horse');
    expect(h.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(h, 'correct-horse')).toBe(true);
    expect(await verifyPassword(h, 'correct-hors')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
  });
});
