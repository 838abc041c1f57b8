// Home observation's public face (居家观察): other modules, the app, the demo and the benches import
// only from here. Screening sweeps (摸排) join this module next (issue 16).
export { observationRoutes } from './observation.routes.js';
export {
  OBSERVATION_MAX_TOTAL_DAYS,
  OBSERVATION_METRICS,
  OBSERVATION_RETENTION_DAYS,
  createObservationService,
  type ObservationService,
} from './observation.service.js';
