// The ordered list of migrations. Names are timestamped; a landed migration is never edited.
import type { Migration } from 'kysely';
import * as m20261128_0001 from './20261128_0001_platform.js';

export const migrations: Record<string, Migration> = {
  '20261128_0001_platform': m20261128_0001,
};
