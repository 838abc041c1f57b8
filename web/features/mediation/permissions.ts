// Joint mediation's pages' permissions, named once for the menu, the routes and my tasks.
import type { Permission } from '../../../common/permissions.js';

/** The cases: the place's readers and the mediators (their own caseload). */
export const MEDIATION_PAGES: readonly Permission[] = ['mediation.read', 'mediation.mediate'];
/** One case: its readers and mediators, and the invited mediator who helps a party sign at a point. */
export const MEDIATION_CASE: readonly Permission[] = [
  'mediation.read',
  'mediation.mediate',
  'hearings.assist',
];
/** The day's hearings at a micro-court point: the invited mediator there, and the judges who book. */
export const HEARING_PAGES: readonly Permission[] = ['hearings.assist', 'hearings.manage'];
