export { createEventsService, ownerFor, type EventsService } from './events.service.js';
export { createEventsAdminService, type EventsAdminService } from './events.admin.service.js';
export { eventsRoutes } from './events.routes.js';
export { eventPhotoRoutes } from './event-photos.routes.js';
export { createOpen311Service, ensureOpen311Key, type Open311Service } from './open311.service.js';
export { open311Routes } from './open311.routes.js';
export { createEventsExportService } from './events.export.js';
export { createEventsMapService } from './events.map.js';
export { eventViewsRoutes } from './events.views.routes.js';
