// Screening sweeps' public face (摸排): other modules, the app, the demo and the benches import only
// from here.
export { screeningRoutes } from './screening.routes.js';
export {
  SWEEP_METRICS,
  SWEEP_RETENTION_DAYS,
  createScreeningService,
  type ScreeningService,
} from './screening.service.js';
