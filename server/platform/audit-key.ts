// The audit chain's key, held outside the database (ADR 0007): AUDIT_KEY, or a key file generated in
// the data directory. From it come, each by HKDF with its own label, the HMAC key that chains the rows
// and an Ed25519 key pair that signs the anchors, whose public half anyone may hold to check them.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface AuditKey {
  /** Names the key in every row and anchor: the first 16 hex of SHA-256 of the public key. */
  id: string;
  /** HMAC-SHA-256 of the text, hex: a row's hash. */
  mac(text: string): string;
  /** Ed25519 signature of the text, base64. */
  sign(text: string): string;
  /** Checks an Ed25519 signature made by this key (with the public half only). */
  verifySignature(text: string, signature: string): boolean;
  /** The raw 32-byte Ed25519 public key, base64: printed and shown so anchors can be checked elsewhere. */
  publicKey: string;
}

/**
 * The keys a row or an anchor may name, by id; `current` hashes and signs new ones. One key today: a
 * rotation adds the retired keys here (verify-only) without touching what is stored.
 */
export interface AuditKeyring {
  current: AuditKey;
  byId: ReadonlyMap<string, AuditKey>;
}

// PKCS#8 and SPKI wrappers of a raw Ed25519 key (RFC 8410): node imports a seed only this way.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function createAuditKey(masterKey: Buffer): AuditKey {
  if (masterKey.length !== 32) throw new Error('The audit key must be 32 bytes');
  const derive = (info: string) =>
    Buffer.from(crypto.hkdfSync('sha256', masterKey, Buffer.alloc(0), info, 32));
  const macKey = derive('linli audit chain hmac v1');
  const privateKey = crypto.createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, derive('linli audit anchor ed25519 v1')]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = crypto.createPublicKey(privateKey);
  const rawPublic = (publicKey.export({ format: 'der', type: 'spki' }) as Buffer).subarray(
    ED25519_SPKI_PREFIX.length,
  );
  return {
    id: crypto.createHash('sha256').update(rawPublic).digest('hex').slice(0, 16),
    mac: (text) => crypto.createHmac('sha256', macKey).update(text).digest('hex'),
    sign: (text) => crypto.sign(null, Buffer.from(text), privateKey).toString('base64'),
    verifySignature: (text, signature) =>
      verifyAnchorSignature(rawPublic.toString('base64'), text, signature),
    publicKey: rawPublic.toString('base64'),
  };
}

/** Checks a signature with a public key alone (base64 of the raw 32 bytes), as a level above would. */
export function verifyAnchorSignature(publicKey: string, text: string, signature: string): boolean {
  try {
    const key = crypto.createPublicKey({
      key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(publicKey, 'base64')]),
      format: 'der',
      type: 'spki',
    });
    return crypto.verify(null, Buffer.from(text), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

export function auditKeyring(current: AuditKey): AuditKeyring {
  return { current, byId: new Map([[current.id, current]]) };
}

/**
 * The configured key (base64 of 32 bytes), or `DATA_DIR/audit.key`, created on the first start with
 * mode 0600. Several app nodes on one PostgreSQL must share AUDIT_KEY.
 */
export function loadAuditKeyring(
  opts: { auditKey?: string | undefined; dataDir: string; create?: boolean },
  say: (msg: string) => void,
): AuditKeyring {
  if (opts.auditKey) return auditKeyring(createAuditKey(Buffer.from(opts.auditKey, 'base64')));
  const file = path.join(opts.dataDir, 'audit.key');
  if (!fs.existsSync(file)) {
    // A checker must not mint a key: a chain checked against a new key fails at its first row anyway.
    if (opts.create === false) throw new Error(`No audit key: set AUDIT_KEY or provide ${file}`);
    fs.mkdirSync(opts.dataDir, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    say(
      `Generated a new audit chain key at ${file} (mode 0600). Back it up apart from the database: without it the audit chain cannot be verified or continued. Set AUDIT_KEY to use your own.`,
    );
  }
  return auditKeyring(createAuditKey(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64')));
}
