// Home observation's pages' permissions, named once for the menu, the routes and my tasks.
import type { Permission } from '../../../common/permissions.js';

/** The list and an order's page: the place's readers, and carers (who see the orders naming them). */
export const OBSERVATION_PAGES: readonly Permission[] = ['observations.read', 'observations.follow_up'];
