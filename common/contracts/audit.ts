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
/** Why verification failed: a code, named in words by the audit page (audit.reasons.*). */
export const auditFailure = z.enum([
  'link',
  'altered',
  'plainInKeyed',
  'plainAfterSeal',
  'unknownKey',
  'noSeal',
  'differsFromAnchor',
  'cutShort',
  'sealMissing',
  'anchorUnreadable',
  'anchorUnknownKey',
  'anchorSignature',
  'anchorGenesis',
]);
export type AuditFailure = z.infer<typeof auditFailure>;
export const auditVerifyResult = z.object({
  ok: z.boolean(),
  /** Rows that held before the first failure (all of them when ok). */
  checked: z.number().int(),
  /** Anchor lines checked. */
  anchors: z.number().int(),
  firstBrokenId: z.number().int().nullable(),
  /** The anchor log's line at fault, when an anchor is. */
  brokenAnchorLine: z.number().int().nullable(),
  reason: auditFailure.nullable(),
});
export type AuditVerifyResult = z.infer<typeof auditVerifyResult>;
/** A signed statement of the chain's head (or of where the keyed chain began: `seal`), ADR 0007. */
export const auditAnchor = z.object({
  kind: z.enum(['anchor', 'seal']),
  rowId: z.number().int(),
  hash: z.string(),
  rowAt: z.string().nullable(),
  at: z.string(),
  keyId: z.string(),
  /** Ed25519 over the canonical JSON of v, kind, rowId, hash, rowAt, at and keyId; base64. */
  sig: z.string(),
});
export type AuditAnchorView = z.infer<typeof auditAnchor>;
export const auditAnchors = z.object({
  /** The signing key's id and its raw Ed25519 public key (base64): what a level above checks with. */
  keyId: z.string(),
  publicKey: z.string(),
  /** Newest first. */
  items: z.array(auditAnchor),
});
export type AuditAnchors = z.infer<typeof auditAnchors>;
