import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createAuditKey, loadAuditKeyring, verifyAnchorSignature } from './audit-key.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-key-'));
  dirs.push(d);
  return d;
};

describe('the audit key', () => {
  it('the row hash is HMAC-SHA-256 under a key derived by HKDF, not the master key and not plain SHA-256', () => {
    const master = crypto.randomBytes(32);
    const key = createAuditKey(master);
    const text = '["0000","row"]';
    const derived = Buffer.from(
      crypto.hkdfSync('sha256', master, Buffer.alloc(0), 'linli audit chain hmac v1', 32),
    );
    expect(key.mac(text)).toBe(crypto.createHmac('sha256', derived).update(text).digest('hex'));
    expect(key.mac(text)).not.toBe(crypto.createHmac('sha256', master).update(text).digest('hex'));
    expect(key.mac(text)).not.toBe(crypto.createHash('sha256').update(text).digest('hex'));
    // Another key, another hash.
    expect(createAuditKey(crypto.randomBytes(32)).mac(text)).not.toBe(key.mac(text));
  });

  it('the same master key gives the same id, public key and signatures; the id names the public key', () => {
    const master = crypto.randomBytes(32);
    const a = createAuditKey(master);
    const b = createAuditKey(Buffer.from(master));
    expect(b.id).toBe(a.id);
    expect(b.publicKey).toBe(a.publicKey);
    expect(Buffer.from(a.publicKey, 'base64')).toHaveLength(32);
    expect(a.id).toBe(
      crypto.createHash('sha256').update(Buffer.from(a.publicKey, 'base64')).digest('hex').slice(0, 16),
    );
    expect(b.sign('head')).toBe(a.sign('head')); // Ed25519 is deterministic
  });

  it('a signature checks with the public key alone, and fails for other text or another key', () => {
    const key = createAuditKey(crypto.randomBytes(32));
    const other = createAuditKey(crypto.randomBytes(32));
    const sig = key.sign('{"rowId":7}');
    expect(verifyAnchorSignature(key.publicKey, '{"rowId":7}', sig)).toBe(true);
    expect(key.verifySignature('{"rowId":7}', sig)).toBe(true);
    expect(verifyAnchorSignature(key.publicKey, '{"rowId":8}', sig)).toBe(false);
    expect(verifyAnchorSignature(other.publicKey, '{"rowId":7}', sig)).toBe(false);
    expect(verifyAnchorSignature(key.publicKey, '{"rowId":7}', 'not base64 at all')).toBe(false);
    expect(verifyAnchorSignature('short', '{"rowId":7}', sig)).toBe(false);
  });

  it('without AUDIT_KEY a key file is made once, mode 0600, and announced; later starts read it', () => {
    const dir = path.join(tmp(), 'data');
    const said: string[] = [];
    const first = loadAuditKeyring({ dataDir: dir }, (m) => said.push(m));
    const file = path.join(dir, 'audit.key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(fs.readFileSync(file, 'utf8'), 'base64')).toHaveLength(32);
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(`Generated a new audit chain key at ${file} (mode 0600)`);
    const again = loadAuditKeyring({ dataDir: dir }, (m) => said.push(m));
    expect(again.current.id).toBe(first.current.id);
    expect(said).toHaveLength(1);
  });

  it('AUDIT_KEY wins over the file; a checker never makes a key', () => {
    const dir = tmp();
    const b64 = crypto.randomBytes(32).toString('base64');
    const k = loadAuditKeyring({ auditKey: b64, dataDir: dir }, () => undefined);
    expect(k.current.id).toBe(createAuditKey(Buffer.from(b64, 'base64')).id);
    expect(fs.existsSync(path.join(dir, 'audit.key'))).toBe(false);
    expect(() => loadAuditKeyring({ dataDir: dir, create: false }, () => undefined)).toThrow(/No audit key/);
    expect(fs.existsSync(path.join(dir, 'audit.key'))).toBe(false);
  });

  it('the configuration takes only 32 bytes of base64, and puts the anchors under DATA_DIR by default', () => {
    expect(() => loadConfig({ AUDIT_KEY: crypto.randomBytes(16).toString('base64') })).toThrow(
      /AUDIT_KEY must be the base64 of 32 random bytes/,
    );
    const c = loadConfig({ DATA_DIR: '/srv/linli' });
    expect(c.auditAnchorDir).toBe('/srv/linli/audit-anchors');
    expect(loadConfig({ DATA_DIR: '/srv/linli', AUDIT_ANCHOR_DIR: '/mnt/anchors' }).auditAnchorDir).toBe(
      '/mnt/anchors',
    );
  });
});
