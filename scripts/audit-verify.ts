// `npm run audit:verify`: checks the audit hash chain of the configured database (DATA_DIR or DATABASE_URL).
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/index.js';
import { verifyAuditChain } from '../server/platform/audit.js';

const config = loadConfig();
const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  const r = await verifyAuditChain(database.db);
  if (r.ok) {
    console.log(`audit chain ok: ${r.checked} rows verified (${database.dialect})`);
  } else {
    console.error(
      `audit chain BROKEN at row ${r.firstBrokenId}: ${r.reason} (${r.checked} rows verified before it)`,
    );
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
