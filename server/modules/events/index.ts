export { createEventsService, ownerFor, type EventsService } from './events.service.js';
export { createEventsAdminService, type EventsAdminService } from './events.admin.service.js';
export { eventsRoutes } from './events.routes.js';
export { eventPhotoRoutes } from './event-photos.routes.js';
export { createEventsExportService } from './events.export.js';
export { createEventsMapService } from './events.map.js';
export { eventViewsRoutes } from './events.views.routes.js';
export { overdueUnder as overdueEventsUnder } from './events.repository.js';
export { distanceMeters } from './events.geo.js';
