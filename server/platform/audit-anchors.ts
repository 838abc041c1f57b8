// The anchor log: signed statements of the audit chain's head, appended as JSON lines to a file
// outside the database (AUDIT_ANCHOR_DIR/anchors.jsonl). Someone who can only write the database
// cannot change them; a copy sent up a level holds even against someone who owns the host.
import fs from 'node:fs';
import path from 'node:path';
import { canonicalJson } from './crypto.js';
import type { AuditKey } from './audit-key.js';

/**
 * `anchor`: the head of the chain at `at`. `seal`: where the keyed chain began: the last row of the
 * plain SHA-256 chain it continues (row 0 and the genesis hash on a chain keyed from its first row).
 */
export interface AuditAnchor {
  v: 1;
  kind: 'anchor' | 'seal';
  rowId: number;
  hash: string;
  /** The anchored row's own time (null for row 0). */
  rowAt: string | null;
  /** When the anchor was made. */
  at: string;
  keyId: string;
  /** Ed25519 over the canonical JSON of every other field, base64. */
  sig: string;
}

export type UnsignedAnchor = Omit<AuditAnchor, 'sig' | 'keyId' | 'v'>;

/** The text an anchor's signature covers. */
export function anchorSignedText(a: Omit<AuditAnchor, 'sig'>): string {
  return canonicalJson({
    v: a.v,
    kind: a.kind,
    rowId: a.rowId,
    hash: a.hash,
    rowAt: a.rowAt,
    at: a.at,
    keyId: a.keyId,
  });
}

export function signAnchor(key: AuditKey, a: UnsignedAnchor): AuditAnchor {
  const unsigned = { v: 1 as const, ...a, keyId: key.id };
  return { ...unsigned, sig: key.sign(anchorSignedText(unsigned)) };
}

/** One line of the log as read back: the anchor, or why the line is not one. */
export interface AnchorLine {
  line: number;
  anchor: AuditAnchor | null;
  problem: string | null;
}

function parseAnchor(text: string): AuditAnchor | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const a = v as Record<string, unknown>;
  const ok =
    a.v === 1 &&
    (a.kind === 'anchor' || a.kind === 'seal') &&
    Number.isSafeInteger(a.rowId) &&
    (a.rowId as number) >= 0 &&
    typeof a.hash === 'string' &&
    (a.rowAt === null || typeof a.rowAt === 'string') &&
    typeof a.at === 'string' &&
    typeof a.keyId === 'string' &&
    typeof a.sig === 'string' &&
    Object.keys(a).length === 8;
  return ok ? (a as unknown as AuditAnchor) : null;
}

const TAIL_BYTES = 64 * 1024;

export interface AnchorLog {
  readonly file: string;
  append(anchor: AuditAnchor): Promise<void>;
  /** Every line, in order (empty when there is no log yet). */
  readAll(): Promise<AnchorLine[]>;
  /** The last `n` readable anchors, newest first, from the file's tail only. */
  latest(n: number): Promise<AuditAnchor[]>;
}

export function openAnchorLog(dir: string): AnchorLog {
  const file = path.join(dir, 'anchors.jsonl');
  return {
    file,
    async append(anchor) {
      await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
      // One write of one whole line with O_APPEND: lines from two writers never interleave.
      const fh = await fs.promises.open(file, 'a', 0o640);
      try {
        await fh.write(`${JSON.stringify(anchor)}\n`);
        await fh.datasync();
      } finally {
        await fh.close();
      }
    },
    async readAll() {
      let text: string;
      try {
        text = await fs.promises.readFile(file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
      const lines = text.split('\n');
      if (lines.at(-1) === '') lines.pop();
      return lines.map((l, i) => {
        const anchor = parseAnchor(l);
        return { line: i + 1, anchor, problem: anchor ? null : 'not an anchor' };
      });
    },
    async latest(n) {
      let fh: fs.promises.FileHandle;
      try {
        fh = await fs.promises.open(file, 'r');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
      try {
        const { size } = await fh.stat();
        const start = Math.max(0, size - TAIL_BYTES);
        const buf = Buffer.alloc(size - start);
        await fh.read(buf, 0, buf.length, start);
        const lines = buf.toString('utf8').split('\n');
        if (start > 0) lines.shift(); // a partial first line
        const out: AuditAnchor[] = [];
        for (let i = lines.length - 1; i >= 0 && out.length < n; i--) {
          const a = lines[i] ? parseAnchor(lines[i]!) : null;
          if (a) out.push(a);
        }
        return out;
      } finally {
        await fh.close();
      }
    },
  };
}
