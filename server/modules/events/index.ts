export { createEventsService, ownerFor, type EventsService } from './events.service.js';
export { createEventsAdminService, type EventsAdminService } from './events.admin.service.js';
export { eventsRoutes } from './events.routes.js';
