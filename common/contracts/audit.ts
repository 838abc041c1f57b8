import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { pageQuery, recordIdParam } from './shared.js';

export const auditQuery = z.strictObject({
  actor: z.string().trim().max(LIMITS.username).optional(),
  entityType: z.string().trim().max(50).optional(),
  entityId: z.string().trim().max(50).optional(),
  action: z.string().trim().max(80).optional(),
  node: recordIdParam.optional(),
  ...pageQuery,
});
export const auditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actorUserId: z.number().int().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  nodePath: z.string().nullable(),
  detail: z.unknown(),
  requestId: z.string().nullable(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntry>;
export const auditVerifyResult = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBrokenId: z.number().int().nullable(),
  reason: z.string().nullable(),
});
