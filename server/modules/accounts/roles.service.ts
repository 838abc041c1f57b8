// Roles are district-wide: only an administrator whose roles.manage reaches a tree root edits them.
import { msg } from '../../../common/messages/index.js';
import type { z } from 'zod';
import type { createRoleBody, Role, updateRoleBody } from '../../../common/contracts/accounts.js';
import { PERMISSIONS } from '../../../common/permissions.js';
import type { DB } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import type { RoleRow } from '../../db/schema.js';
import { actorOf, assertDistrictWide, type RequestContext } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { conflict, notFound } from '../../platform/errors.js';
import * as repo from './accounts.repository.js';

const toDto = (r: RoleRow & { user_count?: number | string | null }): Role => ({
  id: r.id,
  code: r.code,
  nameZh: r.name_zh,
  nameEn: r.name_en,
  permissions: JSON.parse(r.permissions) as string[],
  builtin: r.builtin === 1,
  userCount: Number(r.user_count ?? 0),
});

export function createRolesService(deps: { db: DB }) {
  const { db } = deps;

  function assertDistrictAdmin(ctx: RequestContext) {
    assertDistrictWide(actorOf(ctx), 'roles.manage');
  }

  return {
    async list(): Promise<Role[]> {
      return (await repo.listRoles(db)).map(toDto);
    },

    permissions() {
      return Object.entries(PERMISSIONS).map(([code, l]) => ({ code, zh: l.zh, en: l.en }));
    },

    async create(ctx: RequestContext, body: z.infer<typeof createRoleBody>): Promise<Role> {
      assertDistrictAdmin(ctx);
      const row = await db.transaction().execute(async (trx) => {
        if (await repo.findRoleByCode(trx, body.code)) {
          throw conflict(
            'role.code_taken',
            { code: body.code },
            {
              issues: [{ path: 'body.code', message: msg('issue.taken'), code: 'taken' }],
            },
          );
        }
        const now = nowIso();
        const r = await trx
          .insertInto('roles')
          .values({
            code: body.code,
            name_zh: body.nameZh,
            name_en: body.nameEn,
            permissions: JSON.stringify([...new Set(body.permissions)].sort()),
            builtin: 0,
            created_at: now,
            updated_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await recordAudit(trx, ctx, {
          action: 'role.create',
          entityType: 'role',
          entityId: r.id,
          after: body,
        });
        return r;
      });
      return toDto(row);
    },

    async update(ctx: RequestContext, id: number, body: z.infer<typeof updateRoleBody>): Promise<Role> {
      assertDistrictAdmin(ctx);
      const row = await db.transaction().execute(async (trx) => {
        const r = await repo.findRole(trx, id);
        if (!r) throw notFound('role');
        // A built-in role's grants come from common/roles.ts and are restored at every start.
        if (r.builtin === 1 && body.permissions) {
          throw conflict('role.builtin_fixed');
        }
        const set: Partial<RoleRow> = { updated_at: nowIso() };
        if (body.nameZh !== undefined) set.name_zh = body.nameZh;
        if (body.nameEn !== undefined) set.name_en = body.nameEn;
        if (body.permissions !== undefined)
          set.permissions = JSON.stringify([...new Set(body.permissions)].sort());
        await trx.updateTable('roles').set(set).where('id', '=', id).execute();
        await recordAudit(trx, ctx, {
          action: 'role.update',
          entityType: 'role',
          entityId: id,
          before: { nameZh: r.name_zh, nameEn: r.name_en, permissions: r.permissions },
          after: { ...body },
        });
        return { ...r, ...set };
      });
      return toDto(row);
    },
  };
}

export type RolesService = ReturnType<typeof createRolesService>;
