import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPiiCipher } from './pii.js';

// Written by the cipher as it stood before the keys became key objects and the ciphertext one
// buffer (2026-12-06), with the key 00 01 02 … 1f: what the database holds must still read, and the
// blind indexes must not move, or lookups would stop finding people registered before.
const KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
const STORED = {
  id: ['330112199001011234', 'v1:8TfcwhNJi/o2QKHTGoJUbbliuJwE+l9JNiWB4m9R1dCZRzQhqhk8sGjDW6QaHg=='],
  phone: ['+8613800138000', 'v1:PGS3swfauYY6G+3c/bsPrjGgO9RjiOQBbjovZ5BPFS/QIIiu14g29r6U'],
} as const;
const BIDX = {
  id: 'w8JAnVkDRuBJoDydWbnuvEw5GfEPeu0I44TDzvOjILk',
  phone: 'N_IrorcqCR48ciZo2REG6P_ZkbE2b5xVh7BGptTcISw',
};

describe('pii cipher', () => {
  const pii = createPiiCipher(KEY);

  it('decrypts ciphertexts written before', () => {
    for (const [plain, stored] of Object.values(STORED)) expect(pii.decrypt(stored)).toBe(plain);
  });

  it('gives the same blind indexes as before', () => {
    expect(pii.blindIndex('id', STORED.id[0])).toBe(BIDX.id);
    expect(pii.blindIndex('phone', STORED.phone[0])).toBe(BIDX.phone);
  });

  it('writes the stored format: v1, a 12-byte IV, a 16-byte tag, then the ciphertext', () => {
    const stored = pii.encrypt('张三 330112199001011234');
    expect(stored.startsWith('v1:')).toBe(true);
    const raw = Buffer.from(stored.slice(3), 'base64');
    expect(raw.length).toBe(28 + Buffer.byteLength('张三 330112199001011234'));
    const decipher = crypto.createDecipheriv('aes-256-gcm', derivedEncKey(), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    expect(plain).toBe('张三 330112199001011234');
  });

  it('gives every value its own IV', () => {
    const ivs = new Set(
      Array.from({ length: 2000 }, () =>
        Buffer.from(pii.encrypt('330112199001011234').slice(3), 'base64').subarray(0, 12).toString('hex'),
      ),
    );
    expect(ivs.size).toBe(2000);
  });

  it('refuses a ciphertext that was changed', () => {
    const raw = Buffer.from(STORED.id[1].slice(3), 'base64');
    raw[raw.length - 1] = raw.at(-1)! ^ 1;
    expect(() => pii.decrypt(`v1:${raw.toString('base64')}`)).toThrow();
  });

  it('refuses a key of the wrong length', () => {
    expect(() => createPiiCipher(Buffer.alloc(16))).toThrow();
  });
});

/** The encryption key as pii.ts derives it, derived here independently. */
function derivedEncKey() {
  return Buffer.from(crypto.hkdfSync('sha256', KEY, Buffer.alloc(0), 'linli pii encryption v1', 32));
}
