export { createNoticesService, type NoticesService } from './notices.service.js';
export { noticesRoutes } from './notices.routes.js';
