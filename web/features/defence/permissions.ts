// The passages pages' permissions, named once for the pages that show or hide by them.
import type { Permission } from '../../../common/permissions.js';

/** Register passages at a checkpoint (卡口登记). */
export const PASSAGES_REGISTER: Permission = 'passages.register';
/** Search passages, their statistics and export. */
export const PASSAGES_READ: Permission = 'passages.read';
/** Who may open a command's risk rules. */
export const RISK_RULES_VIEW: readonly Permission[] = ['risk_rules.manage'];
/** Who is shown the hand-offs section of my tasks: whoever handles hand-offs to their grid or village. */
export const HANDOFF_TASKS: readonly Permission[] = ['handoffs.handle'];
