// Notifications: the public face other modules and the app import. A module that tells someone
// something writes it with `notify` inside its own transaction.
export { createNotificationsService, type NotificationsService } from './notifications.service.js';
export { notificationsRoutes } from './notifications.routes.js';
export { notify, usersAssignedAt } from './notifications.repository.js';
