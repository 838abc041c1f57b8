// Row types of every table, as both databases return them after the normalisation in db/index.ts.
// Time is ISO-8601 UTC text everywhere; booleans are 0/1 integers on both databases.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface NodesTable {
  id: Generated<number>;
  parent_id: number | null;
  level: string;
  code: string;
  full_code: string;
  name: string;
  path: string;
  depth: number;
  polygon: string | null;
  centroid_lat: number | null;
  centroid_lng: number | null;
  responsible_name: string | null;
  retired_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface RolesTable {
  id: Generated<number>;
  code: string;
  name_zh: string;
  name_en: string;
  permissions: string;
  builtin: number;
  created_at: string;
  updated_at: string;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  disabled: number;
  failed_logins: number;
  locked_until: string | null;
  totp_secret: string | null;
  totp_enabled: number;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}

export interface RoleAssignmentsTable {
  id: Generated<number>;
  user_id: number;
  role_id: number;
  node_id: number;
  created_at: string;
}

export interface SessionsTable {
  id: Generated<number>;
  token_hash: string;
  csrf_token: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiKeysTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  prefix: string;
  key_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_user_id: number | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  node_path: string | null;
  before_digest: string | null;
  after_digest: string | null;
  detail: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

export interface TagsTable {
  code: string;
  name_zh: string;
  name_en: string;
  builtin: number;
  retired_at: string | null;
  created_at: string;
}

export interface HouseholdsTable {
  id: Generated<number>;
  node_id: number;
  node_path: string;
  address: string | null;
  head_person_id: number | null;
  created_at: string;
  updated_at: string;
}

/** Identity number and phone exist only encrypted (`_enc`), as a blind index (`_bidx`) and masked. */
export interface PersonsTable {
  id: Generated<number>;
  node_id: number;
  node_path: string;
  name: string;
  id_number_enc: string | null;
  id_number_bidx: string | null;
  id_number_masked: string | null;
  phone_enc: string | null;
  phone_bidx: string | null;
  phone_masked: string | null;
  gender: string | null;
  birth_date: string | null;
  ethnicity: string | null;
  household_id: number | null;
  relation_to_head: string | null;
  address: string | null;
  residence_type: string;
  arrival_date: string | null;
  origin_region: string | null;
  no_id_reason: string | null;
  notes: string | null;
  merged_into_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface PersonTagsTable {
  person_id: number;
  tag_code: string;
}

export interface PersonHistoryTable {
  id: Generated<number>;
  person_id: number;
  at: string;
  action: string;
  actor_label: string;
  detail: string | null;
}

export interface ImportJobsTable {
  id: Generated<number>;
  kind: string;
  ref: string | null;
  status: string;
  filename: string;
  mode: string;
  total: number;
  processed: number;
  imported: number;
  rejected: number;
  errors: string | null;
  error_rows_enc: string | null;
  created_by: number;
  created_at: string;
  finished_at: string | null;
}

export interface Database {
  tags: TagsTable;
  households: HouseholdsTable;
  persons: PersonsTable;
  person_tags: PersonTagsTable;
  person_history: PersonHistoryTable;
  import_jobs: ImportJobsTable;
  nodes: NodesTable;
  roles: RolesTable;
  users: UsersTable;
  role_assignments: RoleAssignmentsTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
}

export type NodeRow = Selectable<NodesTable>;
export type NewNode = Insertable<NodesTable>;
export type NodeUpdate = Updateable<NodesTable>;
export type RoleRow = Selectable<RolesTable>;
export type UserRow = Selectable<UsersTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type PersonRow = Selectable<PersonsTable>;
export type NewPerson = Insertable<PersonsTable>;
export type ImportJobRow = Selectable<ImportJobsTable>;
