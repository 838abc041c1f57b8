// Plate search at 5M passages (ADR 0016): the plate index carries the id and the path too, so that
// the search's count and its page of ids (scoped by path, newest first) are read from the index
// alone, without fetching each of the plate's passages from the table (on PostgreSQL an index-only
// scan, on SQLite a covering index). Replaces passages_plate (plate, registered_at).
import { type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('passages_plate_cover')
    .on('passages')
    .columns(['plate', 'registered_at', 'id', 'node_path'])
    .execute();
  await db.schema.dropIndex('passages_plate').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('passages_plate').on('passages').columns(['plate', 'registered_at']).execute();
  await db.schema.dropIndex('passages_plate_cover').execute();
}
