import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, newTotpSecret, otpauthUrl, totpAt, verifyTotp } from './totp.js';

// RFC 6238 appendix B, SHA-1 column: the seed is the ASCII string "12345678901234567890".
// The RFC prints 8 digits; ours are the last 6 of them.
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890', 'ascii'));
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('totpAt (RFC 6238, SHA-1)', () => {
  it('encodes the RFC seed as the well-known base32 secret', () => {
    expect(RFC_SECRET).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });

  it.each(RFC_VECTORS)('T=%i s gives the last six digits of %s', (seconds, eight) => {
    expect(totpAt(RFC_SECRET, seconds * 1000)).toBe(eight.slice(2));
  });

  it('spells out the vectors the brief names', () => {
    expect(totpAt(RFC_SECRET, 59_000)).toBe('287082');
    expect(totpAt(RFC_SECRET, 1111111109_000)).toBe('081804');
    expect(totpAt(RFC_SECRET, 1234567890_000)).toBe('005924');
    expect(totpAt(RFC_SECRET, 2000000000_000)).toBe('279037');
  });

  it('is constant within a 30 s step and always six digits', () => {
    expect(totpAt(RFC_SECRET, 60_000)).toBe(totpAt(RFC_SECRET, 89_999));
    expect(totpAt(RFC_SECRET, 59_000)).not.toBe(totpAt(RFC_SECRET, 60_000));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), (t) => {
        expect(totpAt(RFC_SECRET, t)).toMatch(/^\d{6}$/);
      }),
      { numRuns: 200 },
    );
  });
});

describe('verifyTotp', () => {
  const now = 1_700_000_000_000;
  it('accepts the current step and one either side, not two', () => {
    const secret = newTotpSecret();
    expect(verifyTotp(secret, totpAt(secret, now), now)).toBe(true);
    expect(verifyTotp(secret, totpAt(secret, now - 30_000), now)).toBe(true);
    expect(verifyTotp(secret, totpAt(secret, now + 30_000), now)).toBe(true);
    // Two steps away is rejected unless it happens to collide with an accepted code.
    const accepted = new Set([-1, 0, 1].map((w) => totpAt(secret, now + w * 30_000)));
    for (const w of [-2, 2]) {
      const code = totpAt(secret, now + w * 30_000);
      if (!accepted.has(code)) expect(verifyTotp(secret, code, now)).toBe(false);
    }
  });

  it('rejects wrong, short, long and empty codes', () => {
    const code = totpAt(RFC_SECRET, 59_000);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(verifyTotp(RFC_SECRET, wrong, 59_000)).toBe(false);
    expect(verifyTotp(RFC_SECRET, code.slice(0, 5), 59_000)).toBe(false);
    expect(verifyTotp(RFC_SECRET, '', 59_000)).toBe(false);
    // A seven-digit string that starts with the right code is not the code.
    expect(verifyTotp(RFC_SECRET, `${code}9`, 59_000)).toBe(false);
  });

  it('never throws, whatever string it is given (returns false for non-codes)', () => {
    // A code with multi-byte characters must be refused, not crash timingSafeEqual on unequal lengths.
    const check = (s: string) => {
      let out: boolean | undefined;
      expect(() => (out = verifyTotp(RFC_SECRET, s, 59_000)), JSON.stringify(s)).not.toThrow();
      if (!/^\d{6}$/.test(s)) expect(out, JSON.stringify(s)).toBe(false);
    };
    for (const s of ['12345é', '２８７０８２', '😀😀😀', '28708\u0000']) check(s);
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 12 }), check), { numRuns: 300 });
  });
});

describe('base32', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const buf = Buffer.from(bytes);
        expect(base32Decode(base32Encode(buf)).equals(buf)).toBe(true);
      }),
    );
  });

  it('matches RFC 4648 vectors and rejects characters outside the alphabet', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('MZXW6YTBOI======').toString()).toBe('foobar');
    expect(base32Decode('mzxw6ytboi').toString()).toBe('foobar');
    expect(() => base32Decode('MZXW1')).toThrow(/base32/);
  });

  it('new secrets are 160-bit base32 and differ', () => {
    const a = newTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(a)).toHaveLength(20);
    expect(newTotpSecret()).not.toBe(a);
  });

  it('builds an otpauth URL authenticator apps read', () => {
    expect(otpauthUrl('ABC', 'zhang san')).toBe('otpauth://totp/Linli%3Azhang%20san?secret=ABC&issuer=Linli');
  });
});
