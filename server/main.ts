// The process: boot the database, build the app, listen, run the scheduled jobs, shut down gracefully.
// Requests are handled in app.ts.
import { loadConfig } from './config.js';
import { buildApp } from './app.js';
import { bootDatabase } from './boot.js';
import { nowIso } from './db/index.js';
import { pruneLoginThrottles } from './modules/accounts/index.js';
import { sendShiftReminders, sweepStaffed } from './modules/defence/index.js';
import { pruneLiveEvents } from './platform/live-bus.js';
import { startScheduler } from './platform/scheduler.js';
import { openAnchorLog } from './platform/audit-anchors.js';
import { anchorAuditHead } from './platform/audit.js';
import { boundHeapGrowth } from './platform/heap.js';

boundHeapGrowth();
const config = loadConfig();
const boot = await bootDatabase(config, { seedDemoWhenEmpty: true });
const app = await buildApp(config, {
  database: boot.database,
  pii: boot.pii,
  auditKeyring: boot.auditKeyring,
});
const anchors = openAnchorLog(config.auditAnchorDir);
await app.listen({ port: config.port, host: config.host });
// Events whose time limit passed climb the ladder once a minute; late directive targets escalate to the node above.
const scheduler = startScheduler(boot.database.db, app.log, [
  {
    name: 'events.sweep',
    leaseKey: 7160101,
    everyMs: 60_000,
    run: () => app.linliEvents.sweep({ actor: null, requestId: `sweep-${Date.now()}` }),
  },
  {
    name: 'directives.sweep',
    leaseKey: 7160102,
    everyMs: 60_000,
    run: () => app.linliDirectives.sweep({ actor: null, requestId: `directive-sweep-${Date.now()}` }),
  },
  // Risk hand-offs past due are flagged and told to the node above, once.
  {
    name: 'handoffs.sweep',
    leaseKey: 7160103,
    everyMs: 60_000,
    run: () => app.linliPassages.sweep({ actor: null, requestId: `handoff-sweep-${Date.now()}` }),
  },
  // Home observation: a day's follow-up still due at 08:00 the next morning is flagged missed and
  // told to the village and the carers, once.
  {
    name: 'observation.sweep',
    leaseKey: 7160105,
    everyMs: 300_000,
    run: () => app.linliObservation.sweep({ actor: null, requestId: `observation-sweep-${Date.now()}` }),
  },
  // Home observations made under a command are deleted 28 days after it closed (audited).
  {
    name: 'observation.retention',
    leaseKey: 7160106,
    everyMs: 3_600_000,
    run: () =>
      app.linliObservation.purgeExpired({ actor: null, requestId: `observation-retention-${Date.now()}` }),
  },
  // A sweep's answers are deleted 28 days after its command closed (audited).
  {
    name: 'sweeps.retention',
    leaseKey: 7160107,
    everyMs: 3_600_000,
    run: () => app.linliScreening.purgeExpired({ actor: null, requestId: `sweeps-retention-${Date.now()}` }),
  },
  // Passages are deleted their command's retention days after it closed (audited).
  {
    name: 'passages.retention',
    leaseKey: 7160104,
    everyMs: 3_600_000,
    run: () => app.linliPassages.purgeExpired({ actor: null, requestId: `passage-retention-${Date.now()}` }),
  },
  // Duty rosters: each person on a shift is reminded an hour before it, once (recorded); check-ins
  // whose shift ended without a check-out leave the staffed-now count (ADR 0015).
  {
    name: 'shifts.remind',
    leaseKey: 7160180,
    everyMs: 60_000,
    run: () => sendShiftReminders(boot.database.db, nowIso(), 60),
  },
  {
    name: 'shifts.sweep-staffed',
    leaseKey: 7160181,
    everyMs: 300_000,
    run: () => sweepStaffed(boot.database.db, nowIso()),
  },
  // Joint services: requests nobody took in time escalate a level; call-outs long over close.
  {
    name: 'services.sweep',
    leaseKey: 7160190,
    everyMs: 60_000,
    run: () => app.linliServices.escalate({ actor: null, requestId: `services-sweep-${Date.now()}` }),
  },
  // Psychological care: crisis alerts nobody acknowledged within 30 minutes go to the place above.
  {
    name: 'care.sweep',
    leaseKey: 7160200,
    everyMs: 60_000,
    run: () => app.linliCare.escalate({ actor: null, requestId: `care-sweep-${Date.now()}` }),
  },
  // The care roster follows the registry's care tags (people tagged or untagged since).
  {
    name: 'care.roster-sync',
    leaseKey: 7160191,
    everyMs: 3_600_000,
    run: () => app.linliServices.syncRoster(),
  },
  // Live updates are kept a day: a client away longer gets a reset and refetches.
  { name: 'live.prune', leaseKey: 7160150, everyMs: 3_600_000, run: () => pruneLiveEvents(boot.database.db) },
  // Sign-in failures past their window count for nothing; their rows go (ADR 0008).
  {
    name: 'login-throttles.prune',
    leaseKey: 7160160,
    everyMs: 600_000,
    run: () => pruneLoginThrottles(boot.database.db, nowIso()),
  },
  // The audit chain's head is signed into the anchor log outside the database when it moved (ADR 0007).
  {
    name: 'audit.anchor',
    leaseKey: 7160170,
    everyMs: 600_000,
    run: () => anchorAuditHead(boot.database.db, anchors, { ifMoved: true }),
  },
]);

const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
console.log(
  `\nLinli 邻里 is running at http://${shown}:${config.port}  (database: ${boot.database.dialect})`,
);
console.log(`API documentation: http://${shown}:${config.port}/api/docs`);
console.log(
  `Audit anchors: ${anchors.file}, signed with Ed25519 key ${boot.auditKeyring.current.id} (public key ${boot.auditKeyring.current.publicKey})`,
);
if (boot.demoLogins) {
  console.log('\nDemo logins 演示账号 (username / password / role @ node):');
  for (const l of boot.demoLogins)
    console.log(`  ${l.username.padEnd(12)} ${l.password.padEnd(22)} ${l.role} @ ${l.node}`);
} else if (boot.demoNote) {
  console.log(`\n${boot.demoNote}`);
}

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  const timer = setTimeout(() => process.exit(1), 10_000);
  timer.unref();
  try {
    scheduler.stop();
    await app.close();
    // The rows since the last anchor are covered too, so a stopped server's chain ends at an anchor.
    await anchorAuditHead(boot.database.db, anchors, { ifMoved: true }).catch((err: unknown) =>
      app.log.error({ err }, 'anchoring the audit chain at shutdown failed'),
    );
    await boot.close();
  } finally {
    process.exit(0);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
