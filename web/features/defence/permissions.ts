// The passages pages' permissions. `passages.register` and `passages.read` come with the passages
// server routes (branch h-passages) and are not in common/permissions.ts on this branch yet: until they
// are merged these names are cast once, here. Once the registry has them, drop the casts (the compiler
// then checks the names) and nothing else changes.
import type { Permission } from '../../../common/permissions.js';

/** Register passages at a checkpoint (卡口登记). */
export const PASSAGES_REGISTER = 'passages.register' as Permission;
/** Search passages, their statistics and export; see hand-offs to one's grid. */
export const PASSAGES_READ = 'passages.read' as Permission;
/** Who may open a command's risk rules (the server decides who may change them: the PUT answers 403). */
export const RISK_RULES_VIEW: readonly Permission[] = ['checkpoints.manage', 'command.manage'];
/**
 * Who is shown the hand-offs section of my tasks: the destination grid's worker. A 403 from
 * `GET /api/handoffs/tasks` hides the section too, so a guess too wide costs one request.
 */
export const HANDOFF_TASKS: readonly Permission[] = [PASSAGES_READ, 'events.verify'];
