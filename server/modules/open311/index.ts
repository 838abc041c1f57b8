// Open311 GeoReport v2: the city-system face of joint handling. Requests are events reported through
// the events service; other modules and the app import only from here.
export { createOpen311Service, ensureOpen311Key, type Open311Service } from './open311.service.js';
export { open311Routes } from './open311.routes.js';
