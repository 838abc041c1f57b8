// Response types, inferred from the shared zod contracts (type-only: no zod in the bundle).
import type { z } from 'zod';
import type { apiKeyInfo, role } from '../../common/contracts/accounts.js';
import type { auditVerifyResult } from '../../common/contracts/audit.js';
import type { geoFeatureCollection } from '../../common/contracts/nodes.js';

export type { Me, Assignment, UserSummary, Role } from '../../common/contracts/accounts.js';
export type { AuditEntry } from '../../common/contracts/audit.js';
export type {
  NodeSummary,
  NodeDetail,
  NodeImportReport,
  PolygonGeometry,
} from '../../common/contracts/nodes.js';
export type { Level } from '../../common/tree.js';

export type ApiKeyInfo = z.infer<typeof apiKeyInfo>;
export type AuditVerifyResult = z.infer<typeof auditVerifyResult>;
export type GeoFeatureCollection = z.infer<typeof geoFeatureCollection>;
export type RoleInfo = z.infer<typeof role>;

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface PermissionInfo {
  code: string;
  zh: string;
  en: string;
}

export interface AppConfigInfo {
  mapTileUrl: string;
}

export interface CreatedApiKey {
  id: number;
  key: string;
  name?: string;
  prefix?: string;
}

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
}
