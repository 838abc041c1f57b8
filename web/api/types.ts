// Response types used across the web's modules, all from the shared contracts (type-only: no zod in
// the bundle). Nothing is declared here: a shape the server answers is a schema in common/contracts,
// used by the route and inferred here, so the two cannot drift apart.
import type { z } from 'zod';
import type { auditVerifyResult } from '../../common/contracts/audit.js';
import type { geoFeatureCollection } from '../../common/contracts/nodes.js';

export type {
  ApiKeyInfo,
  Assignment,
  CreatedApiKey,
  Me,
  PermissionInfo,
  Role,
  TotpSetup,
  UserSummary,
} from '../../common/contracts/accounts.js';
export type { AuditEntry } from '../../common/contracts/audit.js';
export type {
  NodeSummary,
  NodeDetail,
  NodeHit,
  NodeImportReport,
  PolygonGeometry,
  PublicAreas,
  PublicPlace,
} from '../../common/contracts/nodes.js';
export type { ClientConfig, ListOf, OkResponse, Paged } from '../../common/contracts/shared.js';
export type { Level } from '../../common/tree.js';

export type AuditVerifyResult = z.infer<typeof auditVerifyResult>;
export type GeoFeatureCollection = z.infer<typeof geoFeatureCollection>;
