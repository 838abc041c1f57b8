// Route-matrix cases: platform.
import { type Case } from './driver.js';

export const platformCases: Record<string, Case> = {
  // ------------------------------ platform
  'GET /api/health': { unscoped: 'public liveness probe' },
  'GET /api/config': { unscoped: 'public client configuration' },
  'GET /api/openapi.json': { unscoped: 'public API description' },
};
