// Psychological care's pages' permissions, named once for the menu, the routes and my tasks.
import type { Permission } from '../../../common/permissions.js';

/** The counsellor's home (/care) and a case's page: those who read the answers and caseloads. */
export const COUNSELLING_PAGES: readonly Permission[] = ['counselling.read'];
/** My tasks' urgent alerts: counsellors (with the answers) and the village that follows them (without). */
export const CARE_ALERT_TASKS: readonly Permission[] = ['counselling.read', 'counselling.alerts'];
