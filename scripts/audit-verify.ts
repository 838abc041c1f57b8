// `npm run audit:verify`: checks the audit chain of the configured database (DATA_DIR or DATABASE_URL)
// with the audit key (AUDIT_KEY or DATA_DIR/audit.key) against the anchor log (AUDIT_ANCHOR_DIR).
// Exits 1 naming the first row that fails, 2 when it cannot check (no key, no database).
import { loadConfig } from '../server/config.js';
import { verifyConfiguredAuditChain } from '../server/modules/audit/index.js';

try {
  const { result, message } = await verifyConfiguredAuditChain(loadConfig());
  if (result.ok) console.log(message);
  else {
    console.error(message);
    process.exitCode = 1;
  }
} catch (e) {
  console.error(`audit chain not checked: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 2;
}
