// A bench's server in a process of its own (bench/child-server.ts), for the command and defence
// benches: the app on the database the bench has loaded, so the memory it reports is the server's alone.
//
// It answers { type: 'memory' } with { type: 'memory', raw, live, streams }: `raw` is
// process.memoryUsage() as it stands (what the operating system sees), `live` the same right after a
// full garbage collection (what is still referenced), `streams` the live bus's subscribers.
import crypto from 'node:crypto';
import { createPiiCipher } from '../server/platform/pii.js';
import { collectGarbage, serveBench, type BenchTarget } from './child-server.js';

export interface ServerMemory {
  raw: NodeJS.MemoryUsage;
  live: NodeJS.MemoryUsage;
  streams: number;
}

/** Optional settings: the keys the bench seeded with (base64), when the server must read what it wrote. */
interface Settings extends BenchTarget {
  piiKey?: string;
  auditKey?: string;
}

await serveBench<Settings>({
  env: (s): Record<string, string> => (s.auditKey ? { AUDIT_KEY: s.auditKey } : {}),
  pii: (s) => createPiiCipher(s.piiKey ? Buffer.from(s.piiKey, 'base64') : crypto.randomBytes(32)),
  handle(msg, { app }) {
    if (msg.type !== 'memory') throw new Error(`unknown request ${msg.type}`);
    const raw = process.memoryUsage();
    collectGarbage();
    return { type: 'memory', raw, live: process.memoryUsage(), streams: app.linliLive.size() };
  },
});
