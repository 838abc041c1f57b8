// The reports module's public face: other modules import only from here.
export { createReportsService, reportCompletion, type ReportsService } from './reports.service.js';
export { reportsRoutes } from './reports.routes.js';
