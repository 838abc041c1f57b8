import type { DB } from '../db/index.js';
export type DemoScale = 'small' | 'district';
export interface DemoLogin { username: string; password: string; role: string; node: string }
export async function seedDemo(_db: DB, _opts: { scale: DemoScale; password?: string | undefined }): Promise<DemoLogin[]> {
  throw new Error('not yet');
}
