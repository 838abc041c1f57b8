// Psychological care's public face (心理关爱): the app, the demo and the benches import only from here.
export { careRoutes } from './care.routes.js';
export { CARE_METRICS, createCareService, ensureShippedScales, type CareService } from './care.service.js';
export { questionnaireOf, responseBundleOf } from './care-fhir.js';
