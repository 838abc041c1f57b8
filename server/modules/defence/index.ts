// The joint defence module's public face (治安联防): other modules, the app, the demo and the benches
// import only from here. So far the duty-roster arithmetic, the checkpoints-and-rosters service
// over its tables and its routes; passages and hand-offs come next (docs/ARCHITECTURE.md, 'Folders').
export { defenceRoutes } from './defence.routes.js';
export {
  STAFFED_METRIC,
  createRostersService,
  rosterGapsUnder,
  sendShiftReminders,
  sweepStaffed,
  type Checkpoint,
  type CheckpointInput,
  type CoverageView,
  type RostersService,
  type ShiftView,
} from './rosters.service.js';
export {
  CHECK_IN_WINDOW_MINUTES,
  ROSTER_MAX_DAYS,
  SHIFT_MINUTES,
  SHIFT_PATTERN_KINDS,
  checkInAllowed,
  checkPattern,
  checkSwap,
  coverage,
  generateShifts,
  type Assignment,
  type CheckInReason,
  type CoverageStatus,
  type PatternReason,
  type Shift,
  type ShiftCoverage,
  type ShiftPattern,
  type ShiftPatternKind,
  type ShiftSlot,
  type SwapReason,
} from './roster.js';
export { passagesRoutes } from './passages.routes.js';
export { PASSAGE_METRICS, createPassagesService, type PassagesService } from './passages.service.js';
export { DEFAULT_RISK_RULES, assessTraveller, inKeyRegion, mergeAnswers } from './risk.js';
export { findRegion, searchRegions } from './regions.js';
