// A query whose shape never changes, built and compiled by Kysely once per database kind and then
// run with new parameters only. Building and compiling a query costs Kysely more than SQLite takes to
// run a point read; for the few reads every request makes (who is calling) that is worth saving
// (ADR 0005). The SQL is still written with the query builder, in its repository.
import { CompiledQuery, type Compilable } from 'kysely';
import { dialectOf, type DialectName } from './dialect.js';
import type { Executor } from './index.js';

type Scalar = string | number | null;

/**
 * `build` must use its arguments as the query's parameters, each once and in order (a list argument
 * counts as its items): the first compile checks that, so a builder that breaks it fails its tests.
 */
export function fixedQuery<A extends readonly (Scalar | readonly Scalar[])[], R>(build: (db: Executor, ...args: A) => Compilable<R>) {
  const compiled = new Map<DialectName, string>();
  return async (db: Executor, ...args: A): Promise<R[]> => {
    const dialect = dialectOf(db);
    const parameters = args.flat();
    let text = compiled.get(dialect);
    if (text === undefined) {
      const c = build(db, ...args).compile();
      const same = c.parameters.length === parameters.length && c.parameters.every((p, i) => p === parameters[i]);
      if (!same) throw new Error(`fixedQuery: the parameters of ${c.sql} are not its arguments in order`);
      compiled.set(dialect, (text = c.sql));
    }
    return (await db.executeQuery<R>(CompiledQuery.raw(text, parameters))).rows;
  };
}
