// Joint services' pages' permissions, named once for the menu and the routes.
import type { Permission } from '../../../common/permissions.js';

/** The volunteer's own page: call-outs near them, their sign-ups, tasks, care visits and record. */
export const VOLUNTEER_PAGES: readonly Permission[] = ['callouts.join'];
/** The coordinator's page: needs to match, call-outs, volunteers and organisations of their places. */
export const SERVICES_PAGES: readonly Permission[] = [
  'volunteers.read',
  'volunteers.manage',
  'callouts.post',
  'services.assign',
];
/** One call-out: who posts or reads them, and the volunteers who answer. */
export const CALLOUT_PAGE: readonly Permission[] = [...SERVICES_PAGES, 'callouts.join'];
/** One service request: its readers and matchers, who raise them, the volunteer given it. */
export const REQUEST_PAGE: readonly Permission[] = [
  ...SERVICES_PAGES,
  'service_requests.raise',
  'callouts.join',
];
/** The care roster: the place's readers (visitors record theirs from their own page) and the district. */
export const CARE_PAGES: readonly Permission[] = ['volunteers.read', 'care_rules.manage'];
/** The hours and their rankings. */
export const HOURS_PAGES: readonly Permission[] = ['volunteers.read'];
