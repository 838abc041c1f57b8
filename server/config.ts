// The only reader of process.env. Validated once, frozen, passed down explicitly.
import path from 'node:path';
import { z } from 'zod';

const configSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().default('0.0.0.0'),
  dataDir: z.string().default('./data'),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres://')
    .optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  sessionTtlHours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  // Login throttling (ADR 0008). A pairing is one username from one client address.
  /** Failures of a pairing after which each further attempt waits 1 s, 2 s, 4 s… */
  loginDelayAfter: z.coerce.number().int().min(1).max(100).default(3),
  loginDelayMaxSeconds: z.coerce.number().int().min(1).max(3600).default(60),
  /** Failures of a pairing that lock that pairing (not the account) for `lockoutMinutes`. */
  loginMaxFailures: z.coerce.number().int().min(1).max(100).default(10),
  lockoutMinutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  /** Failures from one address, whatever the username, after which that address is slowed. */
  loginAddressDelayAfter: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Failures from one address that refuse it for `loginAddressLockoutMinutes`. */
  loginAddressMaxFailures: z.coerce.number().int().min(1).max(10_000).default(100),
  loginAddressLockoutMinutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
  /** Failures are forgotten this long after the last one. */
  loginFailureWindowMinutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
  /** Denied-attempt audit rows per user per 10 minutes, before one "suppressed" row and silence. */
  auditDeniedPerUser: z.coerce.number().int().min(1).max(1000).default(20),
  bodyLimitBytes: z.coerce.number().int().min(1024).default(1_048_576),
  uploadLimitBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .default(20 * 1_048_576),
  importBatchRows: z.coerce.number().int().min(100).max(20_000).default(2000),
  trustProxy: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  demoPassword: z.string().min(8).optional(),
  /** When the demo is seeded: the value of a demo Open311 key (docs/open311.md). */
  demoOpen311Key: z.string().min(16, 'DEMO_OPEN311_KEY must be at least 16 characters').max(200).optional(),
  /**
   * Leaflet's tile URL template: an http(s) URL (a tile server of its own on an isolated network), or a
   * path on this server's origin (tiles served beside the app by the same reverse proxy).
   */
  mapTileUrl: z
    .string()
    .default('')
    .refine(
      (v) =>
        v === '' ||
        (/^(https?:\/\/[^/\s]+)?\/\S*$/.test(v) && /\{z\}/.test(v) && /\{x\}/.test(v) && /\{-?y\}/.test(v)),
      'MAP_TILE_URL must be an http(s) URL or a path starting with / that holds {z}, {x} and {y}',
    ),
  piiKey: z
    .string()
    .refine(
      (v) => Buffer.from(v, 'base64').length === 32,
      'PII_KEY must be the base64 of 32 random bytes (openssl rand -base64 32)',
    )
    .optional(),
  /** The audit chain's key (ADR 0007); unset: DATA_DIR/audit.key, generated on the first start. */
  auditKey: z
    .string()
    .refine(
      (v) => Buffer.from(v, 'base64').length === 32,
      'AUDIT_KEY must be the base64 of 32 random bytes (openssl rand -base64 32)',
    )
    .optional(),
  /** Where the signed anchors of the audit chain are appended; unset: DATA_DIR/audit-anchors. */
  auditAnchorDir: z.string().min(1).optional(),
  webDir: z.string().default('./dist/web'),
});

// Delays must start before the lock they lead to.
const checkedSchema = configSchema.superRefine((c, ctx) => {
  if (c.loginDelayAfter >= c.loginMaxFailures)
    ctx.addIssue({
      code: 'custom',
      path: ['loginDelayAfter'],
      message: 'LOGIN_DELAY_AFTER must be below LOGIN_MAX_FAILURES',
    });
  if (c.loginAddressDelayAfter >= c.loginAddressMaxFailures)
    ctx.addIssue({
      code: 'custom',
      path: ['loginAddressDelayAfter'],
      message: 'LOGIN_ADDRESS_DELAY_AFTER must be below LOGIN_ADDRESS_MAX_FAILURES',
    });
});

export type AppConfig = Readonly<z.infer<typeof configSchema> & { auditAnchorDir: string }>;

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<AppConfig> = {},
): AppConfig {
  const parsed = checkedSchema.safeParse({
    port: env.PORT,
    host: env.HOST,
    dataDir: env.DATA_DIR,
    databaseUrl: env.DATABASE_URL || undefined,
    logLevel: env.LOG_LEVEL,
    sessionTtlHours: env.SESSION_TTL_HOURS,
    loginDelayAfter: env.LOGIN_DELAY_AFTER,
    loginDelayMaxSeconds: env.LOGIN_DELAY_MAX_SECONDS,
    loginMaxFailures: env.LOGIN_MAX_FAILURES,
    lockoutMinutes: env.LOCKOUT_MINUTES,
    loginAddressDelayAfter: env.LOGIN_ADDRESS_DELAY_AFTER,
    loginAddressMaxFailures: env.LOGIN_ADDRESS_MAX_FAILURES,
    loginAddressLockoutMinutes: env.LOGIN_ADDRESS_LOCKOUT_MINUTES,
    loginFailureWindowMinutes: env.LOGIN_FAILURE_WINDOW_MINUTES,
    auditDeniedPerUser: env.AUDIT_DENIED_PER_USER,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    uploadLimitBytes: env.UPLOAD_LIMIT_BYTES,
    importBatchRows: env.IMPORT_BATCH_ROWS,
    trustProxy: env.TRUST_PROXY,
    demoPassword: env.DEMO_PASSWORD || undefined,
    demoOpen311Key: env.DEMO_OPEN311_KEY || undefined,
    mapTileUrl: env.MAP_TILE_URL,
    piiKey: env.PII_KEY || undefined,
    auditKey: env.AUDIT_KEY || undefined,
    auditAnchorDir: env.AUDIT_ANCHOR_DIR || undefined,
    webDir: env.WEB_DIR,
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  const cfg = { ...parsed.data, ...overrides };
  const dataDir = path.resolve(cfg.dataDir);
  return Object.freeze({
    ...cfg,
    dataDir,
    webDir: path.resolve(cfg.webDir),
    auditAnchorDir: path.resolve(cfg.auditAnchorDir ?? path.join(dataDir, 'audit-anchors')),
  });
}
