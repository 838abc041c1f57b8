// Joint services' public face (服务联办): other modules, the app, the demo and the benches import
// only from here.
export { servicesRoutes } from './services.routes.js';
export {
  SERVICES_METRICS,
  careOverdueUnder,
  createServicesService,
  requestReference,
  type ServicesService,
} from './services.service.js';
export { renderCertificatePdf, type CertificateDocument } from './certificate-pdf.js';
export { parseVolunteerSheet } from './volunteer-import.js';
export { rebuildYearlyHours } from './services.repository.js';
