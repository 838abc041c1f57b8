// Notices (告知书) delivered door to door: publishing to a subtree, delivery per household, and the
// progress per node that the notice page drills down through.
import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { abilities, pageQuery, recordId, recordIdParam } from './shared.js';
import { DELIVERY_METHODS, DELIVERY_BATCH_MAX } from './notices-codes.js';

const text = (max: number) => z.string().trim().max(max);

export {
  DELIVERY_METHODS,
  DELIVERY_METHOD_LABELS,
  DELIVERY_BATCH_MAX,
  type DeliveryMethod,
} from './notices-codes.js';

export const publishNoticeBody = z.strictObject({
  nodeId: recordId,
  title: text(LIMITS.name).min(1),
  body: text(5000).min(1),
  /** An open incident command whose subtree holds the node. */
  commandId: recordId.optional(),
});
export type PublishNoticeBody = z.infer<typeof publishNoticeBody>;
export const listNoticesQuery = z.strictObject({
  command: recordIdParam.optional(),
  node: recordIdParam.optional(),
  ...pageQuery,
});
export const noticeQuery = z.strictObject({ node: recordIdParam.optional() });
export const CHECKLIST_STATUSES = ['all', 'delivered', 'undelivered'] as const;
export const noticeHouseholdsQuery = z.strictObject({
  node: recordIdParam.optional(),
  status: z.enum(CHECKLIST_STATUSES).default('all'),
  ...pageQuery,
});
export const deliverBody = z.strictObject({
  householdIds: z.array(recordId).min(1).max(DELIVERY_BATCH_MAX),
  method: z.enum(DELIVERY_METHODS),
  note: text(200).optional(),
});
export type DeliverBody = z.infer<typeof deliverBody>;
export const noticeHouseholdParams = z.strictObject({ id: recordIdParam, householdId: recordIdParam });

const nodeRef = z.object({ id: z.number().int(), name: z.string(), level: z.string() });
export const noticeProgress = z.object({
  node: nodeRef,
  households: z.number().int(),
  delivered: z.number().int(),
  /** Delivered as a whole percentage of the households (0 when there are none). */
  percent: z.number().int(),
});
export type NoticeProgress = z.infer<typeof noticeProgress>;
export const noticeSummary = z.object({
  id: z.number().int(),
  commandId: z.number().int().nullable(),
  title: z.string(),
  node: nodeRef,
  /** Households of the whole subtree when it was published. */
  households: z.number().int(),
  publishedAt: z.string(),
  publishedBy: z.string().nullable(),
  /** Progress at the caller's view: the chosen node, else the caller's top node inside the notice's subtree. */
  progress: noticeProgress,
});
export type NoticeSummary = z.infer<typeof noticeSummary>;
export const noticeDetail = noticeSummary.extend({
  body: z.string(),
  /** The nodes from the notice's node down to the viewed one, for the breadcrumb. */
  trail: z.array(nodeRef),
  /** One row per child of the viewed node that has households. */
  children: z.array(noticeProgress),
  /** `checklist`: the household checklist of the viewed node is open to the caller; `deliver`: the
   * caller may confirm delivery somewhere in the viewed node's subtree. */
  abilities: abilities('checklist', 'deliver'),
});
export type NoticeDetail = z.infer<typeof noticeDetail>;
export const noticeHousehold = z.object({
  id: z.number().int(),
  address: z.string().nullable(),
  node: z.object({ id: z.number().int(), name: z.string() }),
  /** The head's name: only for who holds people.read at the household's node. */
  headName: z.string().nullable(),
  delivered: z.boolean(),
  method: z.enum(DELIVERY_METHODS).nullable(),
  note: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  deliveredBy: z.string().nullable(),
  /** `deliver`: the caller may confirm (or undo) delivery here. */
  abilities: abilities('deliver'),
});
export type NoticeHousehold = z.infer<typeof noticeHousehold>;
export const deliverResponse = z.object({
  delivered: z.array(z.number().int()),
  /** Households already delivered before this call: left as they were. */
  skipped: z.array(z.number().int()),
});
export type DeliverResponse = z.infer<typeof deliverResponse>;
