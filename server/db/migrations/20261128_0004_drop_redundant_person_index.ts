// Every query on people by subtree asks for live records, which the partial index of 0003 answers;
// the full (node_path, name, id) index only cost each insert another random B-tree write (ADR 0002).

import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('persons_node_path_name').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('persons_node_path_name')
    .on('persons')
    .columns(['node_path', 'name', 'id'])
    .execute();
}
