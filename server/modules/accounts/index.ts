export { createAuthService, meOf, type AuthService } from './auth.service.js';
export { createUsersService, type UsersService } from './users.service.js';
export { createRolesService, type RolesService } from './roles.service.js';
export { accountsRoutes } from './accounts.routes.js';
export { ensureBuiltinRoles } from './roles.seed.js';
export { newUserRow } from './accounts.repository.js';
export { createLoginThrottles, type LoginThrottles } from './login-throttle.js';
export { pruneThrottles as pruneLoginThrottles } from './accounts.repository.js';
