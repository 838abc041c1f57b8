// A query whose shape never changes, built and compiled by Kysely once per database kind and then
// run with new parameters only. Building and compiling a query costs Kysely more than SQLite takes to
// run a point read; for the few reads every request makes (who is calling) that is worth saving
// (ADR 0005). The SQL is still written with the query builder, in its repository.
import { CompiledQuery, type Compilable } from 'kysely';
import { dialectOf, type DialectName } from './dialect.js';
import type { Executor } from './index.js';

type Scalar = string | number | null;
type Arg = Scalar | readonly Scalar[];

export interface FixedQuery<A extends readonly Arg[], R> {
  (db: Executor, ...args: A): Promise<R[]>;
  /** The SQL and parameters it runs with these arguments (to EXPLAIN it in tests). */
  compiled(db: Executor, ...args: A): CompiledQuery<R>;
}

/**
 * `build` must use its arguments as the query's parameters, each once and in order (a list argument
 * counts as its items). The first compile checks that with a distinct marker for each, so a builder
 * that breaks it fails its tests instead of mixing up parameters.
 */
export function fixedQuery<A extends readonly Arg[], R>(
  build: (db: Executor, ...args: A) => Compilable<R>,
): FixedQuery<A, R> {
  const texts = new Map<DialectName, string>();
  const textFor = (db: Executor, args: A) => {
    const dialect = dialectOf(db);
    let text = texts.get(dialect);
    if (text === undefined) {
      let n = 0;
      const mark = () => `\u0000fixed-query-parameter-${n++}`;
      const markers = args.map((a) => (Array.isArray(a) ? a.map(mark) : mark())) as unknown as A;
      const c = build(db, ...markers).compile();
      const expected = markers.flat();
      const same = c.parameters.length === expected.length && c.parameters.every((p, i) => p === expected[i]);
      if (!same) throw new Error(`fixedQuery: the parameters of ${c.sql} are not its arguments in order`);
      texts.set(dialect, (text = c.sql));
    }
    return text;
  };
  const compiled = (db: Executor, ...args: A) =>
    CompiledQuery.raw(textFor(db, args), args.flat()) as CompiledQuery<R>;
  const run = async (db: Executor, ...args: A) => (await db.executeQuery<R>(compiled(db, ...args))).rows;
  return Object.assign(run, { compiled });
}
