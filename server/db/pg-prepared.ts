// PostgreSQL parses and plans an unnamed statement every time it runs, and the app runs the same few
// hundred statements over and over: in the defence bench, planning took more of PostgreSQL's time
// than executing (ADR 0017). A statement with parameters seen a few times gets a name, so each
// connection parses it once and PostgreSQL may keep its plan. The names are bounded, so statements
// whose text varies without end (long IN lists, searches) stay unnamed and nothing piles up. Schema
// changes through the pool (migrations) start a new generation of names: a statement prepared
// before `alter table` could otherwise fail with "cached plan must not change result type".
import crypto from 'node:crypto';
import type pg from 'pg';

export interface PreparedOptions {
  /** Runs of the same text before it is named. */
  after?: number;
  /** Texts named at most per generation (each connection of the pool may prepare as many). */
  max?: number;
}

const DDL = /^\s*(?:create|alter|drop|comment|grant|revoke|truncate)\b/i;
type Query = (...args: unknown[]) => unknown;

export function namePreparedStatements(pool: pg.Pool, opts: PreparedOptions = {}) {
  const after = opts.after ?? 3;
  const max = opts.max ?? 400;
  let generation = 0;
  const seen = new Map<string, number>();
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    const named = names.get(text);
    if (named) return named;
    if (names.size >= max) return undefined;
    const n = (seen.get(text) ?? 0) + 1;
    if (n < after) {
      // Counting is bounded too: texts each seen once do not pile up.
      if (seen.size >= max * 4) seen.clear();
      seen.set(text, n);
      return undefined;
    }
    seen.delete(text);
    const hash = crypto.createHash('sha1').update(text).digest('base64url').slice(0, 20);
    const name = `l${generation}_${hash}`;
    names.set(text, name);
    return name;
  };
  const newGeneration = () => {
    generation++;
    names.clear();
    seen.clear();
  };
  // A schema changed by another process (a new version's migration while this one serves) is not
  // seen here: PostgreSQL refuses, once, a prepared statement whose result columns changed. That
  // statement fails; every name is renewed, so the statements after it are prepared afresh.
  const renewOn = (e: unknown) => {
    const { code, message } = (e ?? {}) as { code?: string; message?: string };
    if (code === '0A000' && message?.includes('cached plan must not change result type')) newGeneration();
  };
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as Query;
    (client as unknown as { query: Query }).query = (...args: unknown[]) => {
      // (text, values) as Kysely calls it, or (text, values, callback) as pool.query does.
      const [text, values, callback] = args;
      if (typeof text === 'string') {
        if (DDL.test(text)) newGeneration();
        else if (
          Array.isArray(values) &&
          values.length > 0 &&
          (args.length === 2 || (args.length === 3 && typeof callback === 'function'))
        ) {
          const name = nameOf(text);
          if (name && args.length === 2)
            return (query({ name, text, values }) as Promise<unknown>).catch((e: unknown) => {
              renewOn(e);
              throw e;
            });
          if (name) {
            const done = callback as (e: unknown, r?: unknown) => void;
            return query({ name, text, values }, (e: unknown, r?: unknown) => {
              if (e) renewOn(e);
              done(e, r);
            });
          }
        }
      }
      return query(...args);
    };
  });
}
