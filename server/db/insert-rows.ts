// Multi-row inserts with their SQL written once per table, column list and row count. Kysely builds a
// multi-row insert value by value, each time: for a batch of 30 reports that is over a thousand values
// for the events table alone, a few per cent of each report's time in the intake bench (ADR 0006).
// Here the rows' values go straight into the parameter list, in column order, and the statement's
// text is kept (on SQLite the connection's statement cache then keeps it prepared; on PostgreSQL the
// saving is Kysely's work alone). Kysely still runs it, so transactions and savepoints are its own.
import { CompiledQuery, type Insertable, type Selectable } from 'kysely';
import { dialectOf, type DialectName } from './dialect.js';
import type { Database, Executor } from './index.js';

// Well below both databases' limits on bound parameters (SQLite 32,766; PostgreSQL 65,535).
const MAX_PARAMETERS = 30_000;
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

type Table = keyof Database;
type Row<T extends Table> = Insertable<Database[T]>;
type Returned<T extends Table, R extends string> = Pick<
  Selectable<Database[T]>,
  R & keyof Selectable<Database[T]>
>;

export interface RowInsert<T extends Table, R extends string> {
  /** Inserts the rows in order (every row must carry every column of the first) and answers `returning` of each. */
  (db: Executor, rows: readonly Row<T>[]): Promise<Returned<T, R>[]>;
}

export function insertRows<T extends Table, R extends keyof Selectable<Database[T]> & string = never>(
  table: T,
  returning: readonly R[] = [],
  opts: { maxParameters?: number } = {},
): RowInsert<T, R> {
  const maxParameters = opts.maxParameters ?? MAX_PARAMETERS;
  const texts = new Map<string, string>();
  const textFor = (dialect: DialectName, columns: readonly string[], count: number) => {
    const key = `${dialect}|${count}|${columns.join(',')}`;
    let text = texts.get(key);
    if (text === undefined) {
      let n = 0;
      const placeholder = dialect === 'postgres' ? () => `$${++n}` : () => '?';
      const tuples = Array.from({ length: count }, () => `(${columns.map(placeholder).join(', ')})`);
      text = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values ${tuples.join(', ')}`;
      if (returning.length > 0) text += ` returning ${returning.map(quote).join(', ')}`;
      texts.set(key, text);
    }
    return text;
  };
  return async (db, rows) => {
    if (rows.length === 0) return [];
    const columns = Object.keys(rows[0]!);
    // Every row is checked before the first statement runs, so a bad one leaves nothing written. A
    // column left out of a row (or undefined) would be its default under Kysely: refuse, not guess.
    for (const row of rows) {
      const values = row as Record<string, unknown>;
      for (const c of columns)
        if (values[c] === undefined) throw new Error(`insertRows(${table}): a row has no ${c}`);
      if (Object.keys(values).length !== columns.length)
        throw new Error(`insertRows(${table}): rows with different columns`);
    }
    const perStatement = Math.max(1, Math.floor(maxParameters / columns.length));
    const dialect = dialectOf(db);
    const out: Returned<T, R>[] = [];
    for (let start = 0; start < rows.length; start += perStatement) {
      const chunk = rows.slice(start, start + perStatement);
      const parameters: unknown[] = [];
      for (const row of chunk) for (const c of columns) parameters.push((row as Record<string, unknown>)[c]);
      const result = await db.executeQuery<Returned<T, R>>(
        CompiledQuery.raw(textFor(dialect, columns, chunk.length), parameters),
      );
      out.push(...result.rows);
    }
    return out;
  };
}
