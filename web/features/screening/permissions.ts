// Screening sweeps' pages' permissions, named once for the menu, the routes and my tasks.
import type { Permission } from '../../../common/permissions.js';

/** The sweeps and their lists: the place's readers, and those who visit (seconded cadres: their paired grids). */
export const SWEEP_PAGES: readonly Permission[] = ['sweeps.read', 'sweeps.visit'];
