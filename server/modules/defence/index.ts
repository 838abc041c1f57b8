// The joint defence module's public face (治安联防): other modules, the app, the demo and the benches
// import only from here. So far its pure core, the duty-roster arithmetic; the checkpoints, rosters
// and passages tables, services and routes come next (docs/ARCHITECTURE.md, 'Folders').
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
