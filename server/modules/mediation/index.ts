// Joint mediation's public face (矛盾联调): other modules, the app, the demo and the benches import
// only from here.
export { mediationRoutes } from './mediation.routes.js';
export {
  FOLLOW_UP_AFTER_DAYS,
  MEDIATION_METRICS,
  createMediationService,
  rebuildMediationStats,
  type MediationService,
} from './mediation.service.js';
export { renderAgreementPdf, agreementContentHash, type AgreementDocument } from './agreement-pdf.js';
