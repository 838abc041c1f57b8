import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { PERMISSION_CODES } from '../permissions.js';
import { levelEnum } from './nodes.js';
import { abilities, pageQuery, recordId, recordIdParam } from './shared.js';

export const username = z
  .string()
  .trim()
  .min(2)
  .max(LIMITS.username)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only');
export const password = z.string().min(LIMITS.passwordMin).max(LIMITS.passwordMax);

export const loginBody = z.strictObject({
  username: z.string().min(1).max(LIMITS.username),
  password: z.string().min(1).max(LIMITS.passwordMax),
  totp: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
});

export const roleRef = z.object({
  id: z.number().int(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
});
export const assignment = z.object({
  id: z.number().int(),
  role: roleRef,
  node: z.object({
    id: z.number().int(),
    name: z.string(),
    level: levelEnum,
    path: z.string(),
    fullCode: z.string(),
  }),
});
export type Assignment = z.infer<typeof assignment>;

export const userSummary = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  disabled: z.boolean(),
  locked: z.boolean(),
  totpEnabled: z.boolean(),
  lastLoginAt: z.string().nullable(),
  assignments: z.array(assignment),
});
export type UserSummary = z.infer<typeof userSummary>;
export const userDetail = userSummary.extend({
  abilities: abilities('update', 'disable', 'resetPassword', 'assign'),
});

export const meResponse = z.object({
  user: z.object({
    id: z.number().int(),
    username: z.string(),
    displayName: z.string(),
    totpEnabled: z.boolean(),
  }),
  assignments: z.array(assignment),
  /** Each permission: whether the caller holds it at one node or more (district-wide ones at a root). */
  abilities: abilities(...PERMISSION_CODES),
  via: z.enum(['session', 'apiKey']),
});
export type Me = z.infer<typeof meResponse>;

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(LIMITS.passwordMax),
  newPassword: password,
});
export const totpSetupResponse = z.object({ secret: z.string(), otpauthUrl: z.string() });
export type TotpSetup = z.infer<typeof totpSetupResponse>;
export const totpCodeBody = z.strictObject({ code: z.string().regex(/^\d{6}$/) });

export const listUsersQuery = z.strictObject({
  node: recordIdParam.optional(),
  q: z.string().trim().max(LIMITS.search).optional(),
  ...pageQuery,
});
export const assignmentInput = z.strictObject({ roleId: recordId, nodeId: recordId });
export const createUserBody = z.strictObject({
  username,
  displayName: z.string().trim().min(1).max(LIMITS.displayName),
  password,
  assignments: z.array(assignmentInput).min(1).max(20),
});
export const updateUserBody = z
  .strictObject({
    displayName: z.string().trim().min(1).max(LIMITS.displayName).optional(),
    disabled: z.boolean().optional(),
    unlock: z.literal(true).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'issue.nothing_to_change' });
export const resetPasswordBody = z.strictObject({ newPassword: password });

export const permissionEnum = z.enum(PERMISSION_CODES as [string, ...string[]]);
export const role = z.object({
  id: z.number().int(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  permissions: z.array(z.string()),
  builtin: z.boolean(),
  userCount: z.number().int(),
});
export type Role = z.infer<typeof role>;
/** One entry of the permissions registry, with its names in both languages. */
export const permissionInfo = z.object({ code: z.string(), zh: z.string(), en: z.string() });
export type PermissionInfo = z.infer<typeof permissionInfo>;
export const createRoleBody = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'lowercase letters, digits and _'),
  nameZh: z.string().trim().min(1).max(LIMITS.name),
  nameEn: z.string().trim().min(1).max(LIMITS.name),
  permissions: z.array(permissionEnum).max(200),
});
export const updateRoleBody = z
  .strictObject({
    nameZh: z.string().trim().min(1).max(LIMITS.name).optional(),
    nameEn: z.string().trim().min(1).max(LIMITS.name).optional(),
    permissions: z.array(permissionEnum).max(200).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'issue.nothing_to_change' });

export const apiKeyInfo = z.object({
  id: z.number().int(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiKeyInfo = z.infer<typeof apiKeyInfo>;
/** A new key: the only answer that carries the key itself. */
export const createdApiKey = apiKeyInfo.extend({ key: z.string() });
export type CreatedApiKey = z.infer<typeof createdApiKey>;
export const createApiKeyBody = z.strictObject({ name: z.string().trim().min(1).max(LIMITS.name) });

/** A sign-in throttle in force (ADR 0008): a pairing (username from an address) or a whole address. */
export const loginThrottle = z.object({
  id: z.number().int(),
  kind: z.enum(['pairing', 'address']),
  address: z.string(),
  /** The username as typed (it may be no one's); null for an address. */
  username: z.string().nullable(),
  failures: z.number().int(),
  firstFailureAt: z.string(),
  lastFailureAt: z.string(),
  /** No attempt is checked before this time. */
  nextAttemptAt: z.string().nullable(),
  lockedUntil: z.string().nullable(),
});
export type LoginThrottle = z.infer<typeof loginThrottle>;
