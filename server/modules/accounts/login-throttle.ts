// Login throttling that nobody can turn against a user (ADR 0008). Failures are counted per pairing
// (a username as typed, known or not, from one client address) and per address (every username):
// a pairing waits 1 s, 2 s, 4 s… between checked attempts and is then locked on its own; an address
// trying many usernames is slowed the same way and then refused for a while. The owner signing in
// from another address meets neither. Counters live in the database, so every app node shares them.
import type { AppConfig } from '../../config.js';
import type { DB, Executor } from '../../db/index.js';
import type { LoginThrottlesTable } from '../../db/schema.js';
import type { Selectable } from 'kysely';
import { actorOf, isTreeRoot, scopesFor, type RequestContext } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { appError, type AppError, forbidden, notFound } from '../../platform/errors.js';
import * as repo from './accounts.repository.js';

export type ThrottleRow = Selectable<LoginThrottlesTable>;

export interface ThrottlePolicy {
  delayAfter: number;
  delayMaxSeconds: number;
  maxFailures: number;
  lockoutMinutes: number;
  addressDelayAfter: number;
  addressMaxFailures: number;
  addressLockoutMinutes: number;
  windowMinutes: number;
}

export const policyOf = (c: AppConfig): ThrottlePolicy => ({
  delayAfter: c.loginDelayAfter,
  delayMaxSeconds: c.loginDelayMaxSeconds,
  maxFailures: c.loginMaxFailures,
  lockoutMinutes: c.lockoutMinutes,
  addressDelayAfter: c.loginAddressDelayAfter,
  addressMaxFailures: c.loginAddressMaxFailures,
  addressLockoutMinutes: c.loginAddressLockoutMinutes,
  windowMinutes: c.loginFailureWindowMinutes,
});

export type Penalty = { delaySeconds: number } | { lockMinutes: number } | null;

/** What a row earns at this many failures: nothing, a delay doubling from 1 s (capped), or a lock. */
export function penaltyFor(kind: repo.ThrottleKind, failures: number, p: ThrottlePolicy): Penalty {
  const [after, max, lock] =
    kind === 'pairing'
      ? [p.delayAfter, p.maxFailures, p.lockoutMinutes]
      : [p.addressDelayAfter, p.addressMaxFailures, p.addressLockoutMinutes];
  if (failures >= max) return { lockMinutes: lock };
  if (failures >= after) return { delaySeconds: Math.min(2 ** (failures - after), p.delayMaxSeconds) };
  return null;
}

const secondsUntil = (until: string, now: string) =>
  Math.max(1, Math.ceil((Date.parse(until) - Date.parse(now)) / 1000));

/** A lock's answer: the pairing's is named as before (423 auth.locked); the address's is a 429. */
function lockRefusal(kind: repo.ThrottleKind, until: string, now: string): AppError {
  const extra = { lockedUntil: until, retryAfter: secondsUntil(until, now) };
  return kind === 'pairing'
    ? appError(423, 'auth.locked', {}, extra)
    : appError(429, 'auth.address_locked', {}, extra);
}

/** The refusal these live rows impose on an attempt now, before the password is even checked. */
export function refusalOf(rows: readonly ThrottleRow[], now: string): AppError | null {
  // A lock outranks a delay, and the pairing's lock the address's.
  for (const kind of ['pairing', 'address'] as const) {
    const r = rows.find((x) => x.kind === kind);
    if (r?.locked_until && r.locked_until > now) return lockRefusal(kind, r.locked_until, now);
  }
  const waits = rows
    .map((r) => r.next_attempt_at)
    .filter((t): t is string => t !== null && t > now)
    .sort();
  const until = waits.at(-1);
  if (until)
    return appError(
      429,
      'auth.throttled',
      {},
      {
        retryAfter: secondsUntil(until, now),
      },
    );
  return null;
}

const plusMs = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

export function throttleDto(r: ThrottleRow) {
  return {
    id: r.id,
    kind: r.kind,
    address: r.address,
    username: r.kind === 'pairing' ? r.username : null,
    failures: r.failures,
    firstFailureAt: r.first_failure_at,
    lastFailureAt: r.last_failure_at,
    nextAttemptAt: r.next_attempt_at,
    lockedUntil: r.locked_until,
  };
}

export function createLoginThrottles(deps: { db: DB; config: AppConfig; now: () => string }) {
  const { db, now } = deps;
  const policy = policyOf(deps.config);
  const addressOf = (ctx: RequestContext) => ctx.ip ?? 'unknown';

  function assertAdministrator(ctx: RequestContext) {
    // Throttles belong to no node (the username may be no one's): district-level administrators only.
    if (!scopesFor(actorOf(ctx), 'users.manage').some(isTreeRoot)) throw forbidden('throttles_root');
  }

  return {
    policy,
    /** The rows in force for this attempt, read once; a refusal if they hold it back. */
    async check(ctx: RequestContext, username: string) {
      const at = now();
      const rows = await repo.liveThrottlesFor(db, addressOf(ctx), username, at);
      return { rows, refusal: refusalOf(rows, at) };
    },

    /**
     * Counts a checked failure for the pairing and the address, sets each one's delay or lock, and
     * audits every delay and lock imposed. Returns the longest wait imposed, if any, or the lock.
     */
    async recordFailure(trx: Executor, ctx: RequestContext, username: string) {
      const at = now();
      const address = addressOf(ctx);
      const windowEnd = plusMs(at, policy.windowMinutes * 60_000);
      let retryAfter = 0;
      let lock: AppError | null = null;
      for (const kind of ['pairing', 'address'] as const) {
        const key = { kind, address, username: kind === 'pairing' ? username : repo.ADDRESS_ROW_USERNAME };
        const { id, failures } = await repo.bumpThrottle(trx, key, at, windowEnd);
        const penalty = penaltyFor(kind, failures, policy);
        const detail = { scope: kind, address, ...(kind === 'pairing' ? { username } : {}), failures };
        if (penalty && 'lockMinutes' in penalty) {
          const until = plusMs(at, penalty.lockMinutes * 60_000);
          await repo.setThrottlePenalty(trx, id, {
            next_attempt_at: null,
            locked_until: until,
            expires_at: until > windowEnd ? until : windowEnd,
          });
          await recordAudit(trx, ctx, {
            action: 'auth.lockout',
            entityType: 'login_throttle',
            entityId: id,
            detail: { ...detail, lockedUntil: until },
          });
          lock ??= lockRefusal(kind, until, at);
        } else {
          const next = penalty ? plusMs(at, penalty.delaySeconds * 1000) : null;
          await repo.setThrottlePenalty(trx, id, {
            next_attempt_at: next,
            locked_until: null,
            expires_at: windowEnd,
          });
          if (penalty) {
            retryAfter = Math.max(retryAfter, penalty.delaySeconds);
            await recordAudit(trx, ctx, {
              action: 'auth.login_throttled',
              entityType: 'login_throttle',
              entityId: id,
              detail: { ...detail, retryAfter: penalty.delaySeconds },
            });
          }
        }
      }
      return { lock, retryAfter };
    },

    /** A successful sign-in clears its pairing (never the address: one good account must not reset it). */
    async clearPairing(trx: Executor, rows: readonly ThrottleRow[]) {
      const pairing = rows.find((r) => r.kind === 'pairing');
      if (pairing) await repo.deleteThrottle(trx, pairing.id);
    },

    async list(ctx: RequestContext) {
      assertAdministrator(ctx);
      return (await repo.activeThrottles(db, now())).map(throttleDto);
    },

    async lift(ctx: RequestContext, id: number) {
      assertAdministrator(ctx);
      await db.transaction().execute(async (trx) => {
        const row = await repo.findThrottle(trx, id);
        if (!row) throw notFound('login_throttle');
        await repo.deleteThrottle(trx, id);
        await recordAudit(trx, ctx, {
          action: 'auth.throttle_lift',
          entityType: 'login_throttle',
          entityId: id,
          before: throttleDto(row),
          detail: {
            scope: row.kind,
            address: row.address,
            ...(row.kind === 'pairing' ? { username: row.username } : {}),
          },
        });
      });
    },

    /** Rows past their expiry count for nothing; the scheduler deletes them. */
    prune: () => repo.pruneThrottles(db, now()),
  };
}

export type LoginThrottles = ReturnType<typeof createLoginThrottles>;
