// Protection of personal data at rest: AES-256-GCM for the value, an HMAC blind index for exact
// lookup, both from one master key (PII_KEY, or a key file generated in the data directory).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface PiiCipher {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  /** Deterministic, keyed: equal values give equal indexes, and nothing about the value leaks. */
  blindIndex(kind: 'id' | 'phone', normalized: string): string;
}

export function createPiiCipher(masterKey: Buffer): PiiCipher {
  if (masterKey.length !== 32) throw new Error('The personal-data key must be 32 bytes');
  // The derived keys are imported once as key objects: given as Buffers, every cipher and HMAC
  // would copy and import its key again. Node's AES-GCM cipher cannot be re-keyed with a new IV, so
  // each value still gets a cipher object of its own, with a fresh IV.
  const derive = (info: string) =>
    crypto.createSecretKey(Buffer.from(crypto.hkdfSync('sha256', masterKey, Buffer.alloc(0), info, 32)));
  const encKey = derive('linli pii encryption v1');
  const idxKey = derive('linli pii blind index v1');
  // IVs come from a pool of CSPRNG bytes refilled 4 KiB at a time: one randomBytes call per value
  // cost a third of an import's encryption time. Every IV is still fresh random bytes, never reused.
  let pool = Buffer.alloc(0);
  let at = 0;
  const nextIv = () => {
    if (at + 12 > pool.length) {
      pool = crypto.randomBytes(12 * 341);
      at = 0;
    }
    const iv = pool.subarray(at, at + 12);
    at += 12;
    return iv;
  };
  return {
    // Stored as `v1:` + base64(IV 12 bytes ‖ tag 16 bytes ‖ ciphertext), written into one buffer.
    encrypt(plain) {
      const iv = nextIv();
      const cipher = crypto.createCipheriv('aes-256-gcm', encKey, iv);
      const ct = cipher.update(plain, 'utf8');
      const tail = cipher.final(); // empty for GCM, which is a stream cipher mode
      const out = Buffer.allocUnsafe(28 + ct.length + tail.length);
      iv.copy(out, 0);
      cipher.getAuthTag().copy(out, 12);
      ct.copy(out, 28);
      tail.copy(out, 28 + ct.length);
      return `v1:${out.toString('base64')}`;
    },
    decrypt(stored) {
      if (!stored.startsWith('v1:')) throw new Error('unknown ciphertext version');
      const raw = Buffer.from(stored.slice(3), 'base64');
      const decipher = crypto.createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
    blindIndex(kind, normalized) {
      return crypto.createHmac('sha256', idxKey).update(`${kind}:${normalized}`).digest('base64url');
    },
  };
}

/**
 * The configured key (base64 of 32 bytes), or the key file in the data directory, created on the
 * first start with mode 0600. Several app nodes on one PostgreSQL must share PII_KEY.
 */
export function loadPiiCipher(
  opts: { piiKey?: string | undefined; dataDir: string },
  say: (msg: string) => void,
): PiiCipher {
  if (opts.piiKey) return createPiiCipher(Buffer.from(opts.piiKey, 'base64'));
  const file = path.join(opts.dataDir, 'pii.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    say(
      `Generated a new personal-data encryption key at ${file} (mode 0600). Back it up: without it the encrypted ID and phone numbers cannot be read. Set PII_KEY to use your own.`,
    );
  }
  return createPiiCipher(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64'));
}
