// Administration around joint handling: the category taxonomy and its time limits, departments and
// their handlers, the work calendar's holidays and make-up days.
import { msg } from '../../../common/messages/index.js';
import type { z } from 'zod';
import type {
  createCategoryBody,
  createDepartmentBody,
  Department,
  EventCategory,
  ExtraField,
  updateCategoryBody,
  updateDepartmentBody,
} from '../../../common/contracts/events.js';
import type { DB } from '../../db/index.js';
import { nowIso } from '../../db/index.js';
import {
  actorOf,
  assertCan,
  assertDistrictWide,
  scopesFor,
  type RequestContext,
} from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, conflict, notFound, type ProblemIssue } from '../../platform/errors.js';
import { findNode, listNode } from '../nodes/index.js';
import * as repo from './events.repository.js';

type CategoryRow = Awaited<ReturnType<typeof repo.listCategories>>[number];

export function toCategory(c: CategoryRow): EventCategory {
  return {
    id: c.id,
    parentId: c.parent_id,
    code: c.code,
    nameZh: c.name_zh,
    nameEn: c.name_en,
    isPublic: c.is_public === 1,
    handlingLevel: c.handling_level as EventCategory['handlingLevel'],
    departmentKinds: JSON.parse(c.department_kinds) as string[],
    signHours: c.sign_hours,
    handleHours: c.handle_hours,
    verifyHours: c.verify_hours,
    closingCriteria: c.closing_criteria,
    extraFields: JSON.parse(c.extra_fields) as ExtraField[],
    retired: c.retired_at !== null,
  };
}

export function createEventsAdminService(deps: { db: DB; onConfigChange: () => void }) {
  const { db } = deps;

  async function departmentOut(ids: number[]): Promise<Department[]> {
    const rows = await Promise.all(ids.map((id) => repo.findDepartment(db, id)));
    const members = await repo.membersOf(db, ids);
    return rows
      .filter((d): d is NonNullable<typeof d> => d !== undefined)
      .map((d) => ({
        id: d.id,
        node: { id: d.node_id, name: d.node_name },
        kind: d.kind as Department['kind'],
        name: d.name,
        retired: d.retired_at !== null,
        members: members
          .filter((m) => m.department_id === d.id)
          .map((m) => ({ id: m.id, username: m.username, displayName: m.display_name })),
      }));
  }

  async function loadDepartment(ctx: RequestContext, id: number) {
    const d = await repo.findDepartment(db, id);
    if (!d) throw notFound('department');
    assertCan(actorOf(ctx), 'departments.manage', d.node_path);
    return d;
  }

  return {
    async categories(publicOnly: boolean) {
      const rows = (await repo.listCategories(db)).map(toCategory);
      if (!publicOnly) return rows;
      // Residents see public sub-categories and the groups that hold them, never retired ones.
      const subs = rows.filter((c) => c.isPublic && !c.retired && c.parentId !== null);
      const parents = new Set(subs.map((c) => c.parentId));
      return rows.filter((c) => (c.parentId === null && parents.has(c.id) && !c.retired) || subs.includes(c));
    },

    async createCategory(ctx: RequestContext, b: z.infer<typeof createCategoryBody>) {
      assertDistrictWide(actorOf(ctx), 'events.configure');
      const isSub = b.parentId !== null;
      const issues: ProblemIssue[] = [];
      if (isSub) {
        const parent = await repo.findCategory(db, b.parentId!);
        if (!parent || parent.parent_id !== null)
          issues.push({ path: 'body.parentId', message: msg('issue.not_top_category'), code: 'parent' });
        else if (!b.code.startsWith(`${parent.code}.`))
          issues.push({
            path: 'body.code',
            message: msg('issue.code_prefix', { prefix: parent.code }),
            code: 'code',
          });
        for (const f of ['handlingLevel', 'signHours', 'handleHours', 'verifyHours'] as const)
          if (b[f] === undefined)
            issues.push({ path: `body.${f}`, message: msg('issue.sub_required'), code: 'required' });
      } else if (b.code.includes('.'))
        issues.push({ path: 'body.code', message: msg('issue.top_no_dot'), code: 'code' });
      if (issues.length > 0) throw badRequest('category.invalid', {}, issues);
      if (await repo.findCategoryByCode(db, b.code))
        throw conflict(
          'category.code_taken',
          {},
          {
            issues: [{ path: 'body.code', message: msg('issue.taken'), code: 'taken' }],
          },
        );
      const at = nowIso();
      const id = await db.transaction().execute(async (trx) => {
        const newId = await repo.insertCategory(trx, {
          parent_id: b.parentId,
          code: b.code,
          name_zh: b.nameZh,
          name_en: b.nameEn,
          is_public: b.isPublic ? 1 : 0,
          handling_level: isSub ? b.handlingLevel! : null,
          department_kinds: JSON.stringify(b.departmentKinds),
          sign_hours: b.signHours ?? null,
          handle_hours: b.handleHours ?? null,
          verify_hours: b.verifyHours ?? null,
          closing_criteria: b.closingCriteria ?? null,
          extra_fields: JSON.stringify(b.extraFields),
          sort: 10_000,
          retired_at: null,
          created_at: at,
          updated_at: at,
        });
        await recordAudit(trx, ctx, {
          action: 'event_category.create',
          entityType: 'event_category',
          entityId: newId,
          detail: { code: b.code },
        });
        return newId;
      });
      deps.onConfigChange();
      return toCategory((await repo.findCategory(db, id))!);
    },

    async updateCategory(ctx: RequestContext, id: number, b: z.infer<typeof updateCategoryBody>) {
      assertDistrictWide(actorOf(ctx), 'events.configure');
      const c = await repo.findCategory(db, id);
      if (!c) throw notFound('category');
      const at = nowIso();
      const set: Partial<CategoryRow> = { updated_at: at };
      if (b.nameZh !== undefined) set.name_zh = b.nameZh;
      if (b.nameEn !== undefined) set.name_en = b.nameEn;
      if (b.isPublic !== undefined) set.is_public = b.isPublic ? 1 : 0;
      if (b.closingCriteria !== undefined) set.closing_criteria = b.closingCriteria;
      if (b.departmentKinds !== undefined) set.department_kinds = JSON.stringify(b.departmentKinds);
      if (b.extraFields !== undefined) set.extra_fields = JSON.stringify(b.extraFields);
      if (b.retired !== undefined) set.retired_at = b.retired ? (c.retired_at ?? at) : null;
      const limits = {
        handlingLevel: 'handling_level',
        signHours: 'sign_hours',
        handleHours: 'handle_hours',
        verifyHours: 'verify_hours',
      } as const;
      for (const [k, col] of Object.entries(limits) as [
        keyof typeof limits,
        (typeof limits)[keyof typeof limits],
      ][]) {
        if (b[k] === undefined) continue;
        if (c.parent_id === null)
          throw badRequest('category.invalid', {}, [
            { path: `body.${k}`, message: msg('issue.sub_only'), code: 'sub_only' },
          ]);
        (set as Record<string, unknown>)[col] = b[k];
      }
      await db.transaction().execute(async (trx) => {
        await repo.updateCategory(trx, id, set);
        await recordAudit(trx, ctx, {
          action: 'event_category.update',
          entityType: 'event_category',
          entityId: id,
          detail: { code: c.code, fields: Object.keys(b) },
        });
      });
      deps.onConfigChange();
      return toCategory((await repo.findCategory(db, id))!);
    },

    async listDepartments(ctx: RequestContext, q: { node?: number | undefined; kind?: string | undefined }) {
      const actor = actorOf(ctx);
      // Whoever dispatches or manages departments sees those of their jurisdiction, and those above it that serve it.
      const scopes = [
        ...new Set([...scopesFor(actor, 'events.triage'), ...scopesFor(actor, 'departments.manage')]),
      ];
      const rows: repo.DepartmentListRow[] = [];
      if (q.node) {
        const node = await listNode(db, scopes, q.node);
        rows.push(...(await repo.listDepartments(db, { scopes: ['/'], onPathOf: node.path, kind: q.kind })));
        rows.push(
          ...(await repo.listDepartments(db, { scopes, under: node.path, kind: q.kind })).filter(
            (d) => d.node_path !== node.path,
          ),
        );
      } else {
        rows.push(...(await repo.listDepartments(db, { scopes, kind: q.kind })));
      }
      return { items: await departmentOut([...new Set(rows.map((d) => d.id))]) };
    },

    async createDepartment(ctx: RequestContext, b: z.infer<typeof createDepartmentBody>) {
      const node = await findNode(db, b.nodeId);
      if (!node || node.retired_at)
        throw badRequest('department.node', {}, [
          { path: 'body.nodeId', message: msg('issue.unknown_node'), code: 'unknown' },
        ]);
      assertCan(actorOf(ctx), 'departments.manage', node.path);
      const at = nowIso();
      const id = await db.transaction().execute(async (trx) => {
        const newId = await repo.insertDepartment(trx, {
          node_id: node.id,
          node_path: node.path,
          kind: b.kind,
          name: b.name,
          now: at,
        });
        await recordAudit(trx, ctx, {
          action: 'department.create',
          entityType: 'department',
          entityId: newId,
          nodePath: node.path,
          detail: { kind: b.kind, name: b.name },
        });
        return newId;
      });
      return (await departmentOut([id]))[0]!;
    },

    async updateDepartment(ctx: RequestContext, id: number, b: z.infer<typeof updateDepartmentBody>) {
      const d = await loadDepartment(ctx, id);
      const at = nowIso();
      await db.transaction().execute(async (trx) => {
        await repo.updateDepartment(trx, id, {
          ...(b.name !== undefined ? { name: b.name } : {}),
          ...(b.retired !== undefined ? { retired_at: b.retired ? (d.retired_at ?? at) : null } : {}),
          updated_at: at,
        });
        await recordAudit(trx, ctx, {
          action: 'department.update',
          entityType: 'department',
          entityId: id,
          nodePath: d.node_path,
          detail: b,
        });
      });
      return (await departmentOut([id]))[0]!;
    },

    async addMember(ctx: RequestContext, id: number, userId: number) {
      const d = await loadDepartment(ctx, id);
      const user = await db
        .selectFrom('users')
        .select(['id', 'username'])
        .where('id', '=', userId)
        .executeTakeFirst();
      // Only someone placed in the caller's jurisdiction; anyone else is answered like an unknown id,
      // so the route names nobody the caller could not see.
      const places = user
        ? await db
            .selectFrom('role_assignments as a')
            .innerJoin('nodes as n', 'n.id', 'a.node_id')
            .select('n.path')
            .where('a.user_id', '=', userId)
            .execute()
        : [];
      const scopes = scopesFor(actorOf(ctx), 'departments.manage');
      if (!user || !places.some((p) => scopes.some((s) => p.path.startsWith(s)))) {
        throw badRequest('department.user', {}, [
          { path: 'body.userId', message: msg('issue.unknown_user'), code: 'unknown' },
        ]);
      }
      await db.transaction().execute(async (trx) => {
        await repo.addMember(trx, id, userId, nowIso());
        await recordAudit(trx, ctx, {
          action: 'department.member_add',
          entityType: 'department',
          entityId: id,
          nodePath: d.node_path,
          detail: { user: user.username },
        });
      });
      return (await departmentOut([id]))[0]!;
    },

    async removeMember(ctx: RequestContext, id: number, userId: number) {
      const d = await loadDepartment(ctx, id);
      await db.transaction().execute(async (trx) => {
        if (!(await repo.removeMember(trx, id, userId))) throw notFound('member');
        await recordAudit(trx, ctx, {
          action: 'department.member_remove',
          entityType: 'department',
          entityId: id,
          nodePath: d.node_path,
          detail: { userId },
        });
      });
      return (await departmentOut([id]))[0]!;
    },

    async calendar() {
      return {
        items: (await repo.calendarDays(db)).map((d) => ({
          day: d.day,
          kind: d.kind as 'holiday' | 'workday',
          name: d.name,
        })),
      };
    },

    async putCalendarDay(ctx: RequestContext, day: string, b: { kind: 'holiday' | 'workday'; name: string }) {
      assertDistrictWide(actorOf(ctx), 'events.configure');
      await db.transaction().execute(async (trx) => {
        await repo.putCalendarDay(trx, { day, kind: b.kind, name: b.name, now: nowIso() });
        await recordAudit(trx, ctx, {
          action: 'calendar.put',
          entityType: 'calendar_day',
          entityId: null,
          detail: { day, ...b },
        });
      });
      deps.onConfigChange();
      return this.calendar();
    },

    async deleteCalendarDay(ctx: RequestContext, day: string) {
      assertDistrictWide(actorOf(ctx), 'events.configure');
      await db.transaction().execute(async (trx) => {
        if (!(await repo.deleteCalendarDay(trx, day))) throw notFound('calendar_day');
        await recordAudit(trx, ctx, {
          action: 'calendar.delete',
          entityType: 'calendar_day',
          entityId: null,
          detail: { day },
        });
      });
      deps.onConfigChange();
      return this.calendar();
    },
  };
}

export type EventsAdminService = ReturnType<typeof createEventsAdminService>;
