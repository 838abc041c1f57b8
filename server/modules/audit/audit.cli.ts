// What `npm run audit:verify` does, as a function the tests call: the configured database's chain,
// checked with the configured key against the configured anchor log.
import type { AppConfig } from '../../config.js';
import { openDatabase } from '../../db/index.js';
import { loadAuditKeyring } from '../../platform/audit-key.js';
import { openAnchorLog } from '../../platform/audit-anchors.js';
import { verifyAuditChain, type VerifyResult } from '../../platform/audit.js';

export async function verifyConfiguredAuditChain(
  config: AppConfig,
): Promise<{ result: VerifyResult; message: string }> {
  const keyring = loadAuditKeyring(
    { auditKey: config.auditKey, dataDir: config.dataDir, create: false },
    () => undefined,
  );
  const anchors = openAnchorLog(config.auditAnchorDir);
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const r = await verifyAuditChain(database.db, { keyring, anchors });
    const message = r.ok
      ? `audit chain ok: ${r.checked} rows and ${r.anchors} anchors verified (${database.dialect}, key ${keyring.current.id}, ${anchors.file})`
      : `audit chain BROKEN at row ${r.firstBrokenId ?? '-'}: ${r.reason}` +
        (r.brokenAnchorLine === null ? '' : ` (anchor line ${r.brokenAnchorLine} of ${anchors.file})`) +
        ` (${r.checked} rows verified before it)`;
    return { result: r, message };
  } finally {
    await database.close();
  }
}
