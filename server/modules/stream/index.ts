export { createStreamService, jurisdiction, type StreamService } from './stream.service.js';
export { streamRoutes, type StreamRouteOptions } from './stream.routes.js';
