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
  /** The name's full pinyin, other readings after a space (server/platform/spelling.ts). */
  name_pinyin: string;
  /** The initials of the same spellings. */
  name_initials: string;
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
  /** The audit key the row's HMAC was made with (ADR 0007); null on rows from before the key: plain SHA-256. */
  key_id: string | null;
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
  /** JSON `{ total, rows: [{ row, reason }] }`: rows of the file not read as data; null before 0018. */
  skipped: string | null;
  created_by: number;
  created_at: string;
  finished_at: string | null;
}

export interface EventCategoriesTable {
  id: Generated<number>;
  parent_id: number | null;
  code: string;
  name_zh: string;
  name_en: string;
  is_public: number;
  handling_level: string | null;
  department_kinds: string;
  sign_hours: number | null;
  handle_hours: number | null;
  verify_hours: number | null;
  closing_criteria: string | null;
  extra_fields: string;
  sort: number;
  retired_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface DepartmentsTable {
  id: Generated<number>;
  node_id: number;
  node_path: string;
  kind: string;
  name: string;
  retired_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface DepartmentMembersTable {
  department_id: number;
  user_id: number;
  created_at: string;
}

export interface EventsTable {
  id: Generated<number>;
  tracking_code: string;
  category_id: number;
  node_id: number;
  node_path: string;
  owner_level: string;
  owner_path: string;
  state: string;
  channel: string;
  title: string;
  description: string;
  address: string | null;
  lat: number | null;
  lng: number | null;
  attributes: string;
  reporter_user_id: number | null;
  reporter_name: string | null;
  reporter_phone_enc: string | null;
  reporter_phone_masked: string | null;
  api_key_id: number | null;
  lead_department_id: number | null;
  /** The running clock's deadline (sign-for, handling or verification); the sweep escalates past it. */
  due_at: string | null;
  sign_due_at: string | null;
  signed_at: string | null;
  handle_due_at: string | null;
  handled_at: string | null;
  verify_due_at: string | null;
  parked_until: string | null;
  closed_at: string | null;
  close_reason: string | null;
  closed_on_time: number | null;
  duplicate_of_id: number | null;
  evaluation: string | null;
  rework_count: number;
  reopen_count: number;
  escalation_count: number;
  created_at: string;
  updated_at: string;
}

export interface EventDepartmentsTable {
  event_id: number;
  department_id: number;
  role: string;
}

export interface EventHistoryTable {
  id: Generated<number>;
  event_id: number;
  at: string;
  action: string;
  from_state: string | null;
  to_state: string;
  owner_level: string;
  node_path: string;
  actor_user_id: number | null;
  actor_label: string;
  reason: string | null;
  detail: string | null;
  is_public: number;
}

export interface EventPhotosTable {
  id: Generated<number>;
  /** SHA-256 of the one-time upload token; the token itself is never stored. */
  token_hash: string;
  event_id: number | null;
  /** The workflow step the photo belongs to (report, feedback, verification). */
  history_id: number | null;
  mime: string;
  size_bytes: number;
  sha256: string;
  data: Buffer;
  uploaded_by_user_id: number | null;
  created_at: string;
  attached_at: string | null;
}

export interface EventKpiDailyTable {
  node_path: string;
  day: string;
  received: number;
  accepted: number;
  rejected: number;
  due: number;
  closed: number;
  closed_on_time: number;
  sign_due: number;
  signed_on_time: number;
  verified: number;
  reworked: number;
  handled: number;
  evaluated: number;
  satisfied: number;
  escalated_village: number;
  escalated_town: number;
  escalated_district: number;
  handling_hours: number;
}

export interface WorkCalendarDaysTable {
  day: string;
  kind: string;
  name: string;
  created_at: string;
}

export interface NotificationsTable {
  id: Generated<number>;
  user_id: number;
  at: string;
  kind: string;
  /** Texts of rows written before message codes were stored (migration 0017); empty since. */
  text_zh: string;
  text_en: string;
  /** The message code and its parameters (JSON), rendered in the reader's language. */
  message_code: string | null;
  message_params: string | null;
  entity_type: string | null;
  entity_id: number | null;
  read_at: string | null;
}

/** Keys other systems post Open311 service requests with; only the SHA-256 of a key is kept. */
export interface Open311KeysTable {
  id: Generated<number>;
  name: string;
  key_hash: string;
  prefix: string;
  created_by: number | null;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

// ------------------------------------------------------------------ command system (migration 0011)
export interface IncidentCommandsTable {
  id: Generated<number>;
  name: string;
  /** 一级…四级 response: 'I' | 'II' | 'III' | 'IV'. */
  response_level: string;
  node_id: number;
  node_path: string;
  started_at: string;
  closed_at: string | null;
  summary: string | null;
  created_by_user_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface IncidentCommandOfficersTable {
  command_id: number;
  user_id: number;
}

export interface DirectivesTable {
  id: Generated<number>;
  command_id: number | null;
  /** A relay names the directive it passes down, and the target (the relaying node's) it came from. */
  parent_id: number | null;
  parent_target_id: number | null;
  /** The directive at the top of the cascade (itself for a top-level one). */
  root_id: number | null;
  /** 0 for a top-level directive, 1 for a relay of it, and so on. */
  depth: number;
  issuer_node_id: number;
  issuer_node_path: string;
  issued_by_user_id: number | null;
  title: string;
  body: string;
  priority: string;
  sign_due_at: string;
  report_due_at: string;
  /** 'subtree' | 'level' | 'nodes'. */
  target_kind: string;
  target_level: string | null;
  target_count: number;
  created_at: string;
}

export interface DirectiveTargetsTable {
  id: Generated<number>;
  directive_id: number;
  root_id: number;
  command_id: number | null;
  node_id: number;
  node_path: string;
  node_level: string;
  /** 'pending' | 'signed' | 'reported'. */
  state: string;
  /** 1 while a deadline has passed unmet (set by the sweep, cleared by the step that meets it). */
  overdue: number;
  sign_due_at: string;
  report_due_at: string;
  signed_at: string | null;
  signed_by_user_id: number | null;
  reported_at: string | null;
  reported_by_user_id: number | null;
  report_text: string | null;
  /** JSON object of figures reported back. */
  report_figures: string | null;
  sign_escalated_at: string | null;
  report_escalated_at: string | null;
  reminded_at: string | null;
  /** The directive this target's node relayed it down as. */
  relay_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface DirectiveHistoryTable {
  id: Generated<number>;
  directive_id: number;
  target_id: number | null;
  root_id: number;
  node_path: string;
  action: string;
  at: string;
  actor_user_id: number | null;
  actor_label: string;
  text: string | null;
}

export interface DirectiveFilesTable {
  id: Generated<number>;
  token_hash: string;
  directive_id: number | null;
  target_id: number | null;
  name: string;
  mime: string;
  size_bytes: number;
  sha256: string;
  data: Buffer;
  uploaded_by_user_id: number | null;
  created_at: string;
  attached_at: string | null;
}

export interface ReportTemplatesTable {
  id: Generated<number>;
  command_id: number | null;
  node_id: number;
  node_path: string;
  /** Every node of this level in the template's subtree reports daily. */
  target_level: string;
  title: string;
  /** JSON array of fields: code, labels, type (integer|decimal|text|choice), aggregation (sum|max|latest), choices. */
  fields: string;
  /** 'HH:MM' Asia/Shanghai. */
  due_time: string;
  start_day: string;
  end_day: string | null;
  created_by_user_id: number | null;
  created_at: string;
  retired_at: string | null;
}

export interface ReportSubmissionsTable {
  id: Generated<number>;
  template_id: number;
  node_id: number;
  node_path: string;
  /** Asia/Shanghai day, YYYY-MM-DD. */
  day: string;
  /** JSON object: field code → value. */
  values: string;
  late: number;
  submitted_at: string;
  submitted_by_user_id: number | null;
  updated_at: string;
}

export interface NoticesTable {
  id: Generated<number>;
  command_id: number | null;
  node_id: number;
  node_path: string;
  title: string;
  body: string;
  /** Households in the subtree when it was published. */
  households: number;
  /** The notice goes to the subtree's households with an id up to this one (registered by its publication). */
  last_household_id: number;
  published_at: string;
  published_by_user_id: number | null;
}

export interface NoticeDeliveriesTable {
  id: Generated<number>;
  notice_id: number;
  household_id: number;
  /** The household's node (a grid). */
  node_path: string;
  method: string;
  note: string | null;
  delivered_at: string;
  delivered_by_user_id: number | null;
}

export interface NoticeProgressTable {
  notice_id: number;
  node_path: string;
  households: number;
  delivered: number;
}

/** The cockpit's maintained figures per node path and command (0 = all commands). */
export interface LiveCountersTable {
  command_id: number;
  node_path: string;
  metric: string;
  value: number;
}

/** The outbox of live updates; `paths` is a JSON array of the node paths the change concerns. */
export interface LiveEventsTable {
  id: Generated<number>;
  at: string;
  kind: string;
  command_id: number | null;
  paths: string;
  payload: string;
}

/** Login failures of one username from one address, or of one address whatever the username (ADR 0008). */
export interface LoginThrottlesTable {
  id: Generated<number>;
  kind: 'pairing' | 'address';
  address: string;
  username: string;
  failures: number;
  first_failure_at: string;
  last_failure_at: string;
  next_attempt_at: string | null;
  locked_until: string | null;
  expires_at: string;
}

// ------------------------------------------------------------------ joint defence (migration 0020)
export interface CheckpointsTable {
  id: Generated<number>;
  name: string;
  type: 'expressway_exit' | 'road' | 'village_entrance' | 'compound_gate' | 'other';
  lat: number | null;
  lng: number | null;
  node_id: number;
  node_path: string;
  command_id: number | null;
  status: 'open' | 'suspended' | 'closed';
  /** When the status took (or takes) effect. */
  status_from: string;
  staff_per_shift: number;
  lead_user_id: number | null;
  created_by_user_id: number | null;
  created_at: string;
  updated_at: string;
}

/** A checkpoint's shift pattern: roster.ts's ShiftPattern as JSON. */
export interface RosterPatternsTable {
  checkpoint_id: number;
  kind: string;
  pattern: string;
  updated_by_user_id: number | null;
  updated_at: string;
}

export interface ShiftsTable {
  id: Generated<number>;
  checkpoint_id: number;
  node_path: string;
  day: string;
  slot: number;
  starts_at: string;
  ends_at: string;
  required: number;
  created_at: string;
}

export interface ShiftAssignmentsTable {
  id: Generated<number>;
  shift_id: number;
  user_id: number;
  role: string;
  assigned_by_user_id: number | null;
  assigned_at: string;
}

export interface ShiftCheckInsTable {
  id: Generated<number>;
  assignment_id: number;
  checked_in_at: string;
  lat: number | null;
  lng: number | null;
  checked_out_at: string | null;
  out_lat: number | null;
  out_lng: number | null;
  uncounted_at: string | null;
}

export interface ShiftSwapsTable {
  id: Generated<number>;
  shift_id: number;
  checkpoint_id: number;
  node_path: string;
  from_user_id: number;
  to_user_id: number | null;
  to_shift_id: number | null;
  reason: string | null;
  status: 'pending' | 'approved' | 'refused' | 'cancelled';
  requested_at: string;
  decided_by_user_id: number | null;
  decided_at: string | null;
  note: string | null;
}

export interface ShiftRemindersTable {
  assignment_id: number;
  sent_at: string;
}

export interface PassagesTable {
  id: Generated<number>;
  checkpoint_id: number;
  node_path: string;
  command_id: number | null;
  direction: 'in' | 'out';
  plate: string | null;
  vehicle_type: string | null;
  origin_region: string | null;
  destination_node_id: number | null;
  destination_region: string | null;
  purpose: string | null;
  answers: string | null;
  risky: number;
  people_count: number;
  registered_at: string;
  registered_by_user_id: number;
  created_at: string;
}

export interface PassagePeopleTable {
  id: Generated<number>;
  passage_id: number;
  name: string;
  id_number_enc: string | null;
  id_number_bidx: string | null;
  id_number_masked: string | null;
  phone_enc: string | null;
  phone_bidx: string | null;
  phone_masked: string | null;
  no_id_reason: string | null;
  person_id: number | null;
  answers: string | null;
  temperature: number | null;
  risky: number;
  reasons: string | null;
}

export interface PassageIdempotencyTable {
  user_id: number;
  key: string;
  body_hash: string;
  passage_id: number;
  created_at: string;
}

export interface PassageHourlyTable {
  checkpoint_id: number;
  node_path: string;
  hour: string;
  in_count: number;
  out_count: number;
  risky_count: number;
}

export interface RiskRulesTable {
  command_id: number;
  key_regions: string;
  key_region_14d_risky: number;
  case_contact_risky: number;
  fever_at: number;
  handoff_hours: number;
  retention_days: number;
  updated_by_user_id: number | null;
  updated_at: string;
}

export interface HandoffsTable {
  id: Generated<number>;
  passage_id: number;
  passage_person_id: number;
  checkpoint_id: number;
  command_id: number | null;
  node_id: number;
  node_path: string;
  state: 'open' | 'visited' | 'closed';
  due_at: string;
  overdue: number;
  escalated_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface HandoffHistoryTable {
  id: Generated<number>;
  handoff_id: number;
  at: string;
  action: 'create' | 'visit' | 'close' | 'escalate';
  actor_user_id: number | null;
  note: string | null;
}

export interface ObservationOrdersTable {
  id: Generated<number>;
  person_id: number;
  node_id: number;
  node_path: string;
  command_id: number | null;
  reason_enc: string;
  place: string | null;
  start_date: string;
  end_date: string;
  days: number;
  status: 'active' | 'released' | 'transferred';
  transfer_to: 'hospital' | 'moved_away' | null;
  created_by_user_id: number;
  created_at: string;
  created_on: string;
  updated_at: string;
  closed_at: string | null;
}

export interface ObservationCarersTable {
  order_id: number;
  user_id: number;
  kind: 'party_member' | 'grid_worker' | 'doctor';
}

export interface ObservationMembersTable {
  order_id: number;
  person_id: number;
}

export interface ObservationFollowUpsTable {
  id: Generated<number>;
  order_id: number;
  node_path: string;
  date: string;
  status: 'due' | 'well' | 'unwell' | 'not_reached' | 'refused' | 'missed';
  detail_enc: string | null;
  recorded_by_user_id: number | null;
  recorded_at: string | null;
  handled_at: string | null;
  handled_by_user_id: number | null;
}

export interface QuestionnairesTable {
  id: Generated<number>;
  code: string;
  version: number;
  title_zh: string;
  title_en: string;
  definition: string;
  created_by_user_id: number | null;
  created_at: string;
}

export interface SweepsTable {
  id: Generated<number>;
  name: string;
  command_id: number;
  questionnaire_id: number;
  node_id: number;
  node_path: string;
  population_kind: 'floating' | 'arrivals' | 'tag' | 'list';
  population_since: string | null;
  population_tag: string | null;
  deadline: string;
  status: 'open' | 'closed';
  created_by_user_id: number;
  created_at: string;
  closed_at: string | null;
  purged_at: string | null;
}

export interface SweepTargetsTable {
  id: Generated<number>;
  sweep_id: number;
  person_id: number;
  node_id: number;
  node_path: string;
  household_id: number | null;
  status: 'pending' | 'not_home' | 'answered' | 'moved' | 'refused';
  risk: 'low' | 'medium' | 'high' | null;
  answers_enc: string | null;
  questionnaire_id: number | null;
  visits: Generated<number>;
  visited_at: string | null;
  visited_by_user_id: number | null;
  found: Generated<number>;
}

export interface SweepHelpersTable {
  sweep_id: number;
  node_id: number;
  node_path: string;
  user_id: number;
  created_at: string;
}

export interface MediationOrgsTable {
  id: Generated<number>;
  kind: 'committee' | 'micro_court' | 'family_team' | 'court';
  name: string;
  node_id: number;
  node_path: string;
  address: string | null;
  equipment: string | null;
  hours: string | null;
  in_charge_user_id: number | null;
  created_at: string;
}

export interface MediatorsTable {
  id: Generated<number>;
  user_id: number;
  org_id: number;
  specialties: string;
  qualification: string | null;
  profile: string | null;
  created_at: string;
}

export interface MediationCasesTable {
  id: Generated<number>;
  dossier_year: number;
  dossier_seq: number;
  dossier_no: string;
  org_id: number;
  node_id: number;
  node_path: string;
  source: string;
  dispute_type: string;
  facts: string;
  claims: string;
  amount_cents: number | string | null;
  status: string;
  caucus: number;
  mediator_id: number | null;
  event_id: number | null;
  failure_route: string | null;
  conclusion_note: string | null;
  received_at: string;
  concluded_at: string | null;
  created_by_user_id: number | null;
}

export interface MediationPartiesTable {
  id: Generated<number>;
  case_id: number;
  seq: number;
  side: 'applicant' | 'respondent';
  kind: 'person' | 'org';
  name: string;
  id_number_enc: string | null;
  id_number_bidx: string | null;
  id_number_masked: string | null;
  phone_enc: string | null;
  phone_masked: string | null;
  agent: string | null;
  consent: 'pending' | 'yes' | 'no';
  online: number;
  access_hash: string | null;
}

export interface MediationEvidenceTable {
  id: Generated<number>;
  case_id: number;
  party_id: number | null;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  content: Buffer;
  created_by_user_id: number | null;
  created_at: string;
}

export interface MediationSessionsTable {
  id: Generated<number>;
  case_id: number;
  starts_at: string;
  mode: string;
  kind: 'joint' | 'caucus';
  point_id: number | null;
  meeting_link: string | null;
  status: 'scheduled' | 'held' | 'cancelled';
  minutes: string | null;
  attendance: string | null;
  created_at: string;
}

export interface MediationMessagesTable {
  id: Generated<number>;
  case_id: number;
  party_id: number | null;
  user_id: number | null;
  to_all: number;
  to_party_id: number | null;
  body: string;
  created_at: string;
}

export interface MediationAgreementsTable {
  id: Generated<number>;
  case_id: number;
  status: 'signing' | 'in_effect' | 'void';
  content: string;
  content_sha256: string;
  pdf: Buffer;
  pdf_sha256: string;
  created_by_user_id: number | null;
  created_at: string;
  effective_at: string | null;
}

export interface MediationSignaturesTable {
  id: Generated<number>;
  agreement_id: number;
  party_id: number | null;
  name: string;
  method: 'online' | 'assisted' | null;
  checked_by_user_id: number | null;
  signed_at: string | null;
  link_hash: string | null;
}

export interface MediationConfirmationsTable {
  id: Generated<number>;
  agreement_id: number;
  court_id: number;
  status: 'submitted' | 'accepted' | 'not_accepted' | 'confirmed' | 'refused';
  materials: string;
  warnings: string;
  submitted_at: string;
  accept_by: string;
  ruling: string | null;
  decided_by_user_id: number | null;
  decided_at: string | null;
}

export interface MicroHearingsTable {
  id: Generated<number>;
  point_id: number;
  case_id: number | null;
  judge_user_id: number;
  title: string;
  starts_at: string;
  ends_at: string;
  participants: string;
  status: 'scheduled' | 'held' | 'cancelled';
  attendance_by_user_id: number | null;
  created_at: string;
}

export interface MediationFollowUpsTable {
  id: Generated<number>;
  agreement_id: number;
  case_id: number;
  node_path: string;
  due_on: string;
  status: 'due' | 'done';
  performance: 'full' | 'partial' | 'none' | null;
  satisfaction: number | null;
  note: string | null;
  visited_by_user_id: number | null;
  visited_at: string | null;
}

export interface MediationStatsDailyTable {
  node_path: string;
  dispute_type: string;
  day: string;
  received: Generated<number>;
  agreements: Generated<number>;
  failures: Generated<number>;
  withdrawals: Generated<number>;
  days_sum: Generated<number>;
  decided: Generated<number>;
  confirmed: Generated<number>;
}

// ---- joint services (服务联办)
export type VolunteerOrgKind = 'ngo' | 'party_branch' | 'enterprise' | 'owners_committee';
export interface VolunteerOrgsTable {
  id: Generated<number>;
  kind: VolunteerOrgKind;
  name: string;
  node_id: number;
  node_path: string;
  description: string | null;
  minutes_total: Generated<number>;
  created_at: string;
}
export interface VolunteerOrgCoordinatorsTable {
  org_id: number;
  user_id: number;
}
export interface VolunteersTable {
  id: Generated<number>;
  person_id: number;
  user_id: number | null;
  org_id: number | null;
  name: string;
  home_node_id: number;
  home_path: string;
  party_member: number;
  skills: string;
  certifications: string;
  languages: string;
  availability: string;
  status: 'active' | 'paused' | 'left';
  consent_at: string;
  consent_recorded_by: number | null;
  joined_via: 'invitation' | 'coordinator' | 'import';
  minutes_total: Generated<number>;
  no_shows: Generated<number>;
  created_at: string;
  updated_at: string;
}
export interface VolunteerInvitationsTable {
  id: Generated<number>;
  token_hash: string;
  org_id: number | null;
  node_id: number;
  node_path: string;
  max_uses: number;
  uses: Generated<number>;
  expires_at: string;
  created_by: number;
  created_at: string;
}
export interface CalloutsTable {
  id: Generated<number>;
  title: string;
  details: string | null;
  node_id: number;
  node_path: string;
  meeting_point: string;
  lat: number | null;
  lng: number | null;
  starts_at: string;
  ends_at: string;
  capacity: number;
  filled: Generated<number>;
  skills: string;
  shift_id: number | null;
  org_id: number | null;
  status: 'open' | 'closed' | 'cancelled';
  posted_by: number;
  created_at: string;
  updated_at: string;
}
export interface CalloutSignupsTable {
  id: Generated<number>;
  callout_id: number;
  volunteer_id: number;
  status: 'signed_up' | 'withdrawn' | 'checked_in' | 'done' | 'no_show';
  signed_at: string;
  checked_in_at: string | null;
  in_lat: number | null;
  in_lng: number | null;
  checked_out_at: string | null;
  out_lat: number | null;
  out_lng: number | null;
  minutes: Generated<number>;
}
export interface ServiceRequestsTable {
  id: Generated<number>;
  person_id: number;
  node_id: number;
  node_path: string;
  kind: 'meals' | 'medicine' | 'shopping' | 'accompaniment' | 'home_repair' | 'companionship';
  details: string | null;
  source: 'grid_worker' | 'carer' | 'follow_up' | 'public' | 'coordinator';
  follow_up_id: number | null;
  status: 'open' | 'assigned' | 'accepted' | 'done' | 'cancelled';
  volunteer_id: number | null;
  org_id: number | null;
  respond_by: string;
  escalation_level: Generated<number>;
  escalated_at: string | null;
  accepted_at: string | null;
  done_at: string | null;
  done_note: string | null;
  photo_sha256: string | null;
  photo_mime: string | null;
  photo: Buffer | null;
  minutes: Generated<number>;
  satisfaction: number | null;
  cancel_reason: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}
export interface CareRulesTable {
  tag_code: string;
  every_days: number;
  updated_by: number | null;
  updated_at: string;
}
export interface CareRosterTable {
  id: Generated<number>;
  person_id: number;
  tag_code: string;
  every_days: number;
  node_id: number;
  node_path: string;
  visitor_id: number | null;
  started_on: string;
  last_visit_on: string | null;
  next_due_on: string;
}
export interface CareVisitsTable {
  id: Generated<number>;
  roster_id: number;
  volunteer_id: number | null;
  user_id: number;
  visited_on: string;
  note: string | null;
  lat: number | null;
  lng: number | null;
  created_at: string;
}
export interface VolunteerHoursTable {
  volunteer_id: number;
  month: string;
  org_id: Generated<number>;
  home_path: string;
  minutes: number;
}
/** The months' minutes summed per local year (same organisation and home): a year's ranking reads these. */
export interface VolunteerHoursYearlyTable {
  volunteer_id: number;
  year: string;
  org_id: Generated<number>;
  home_path: string;
  minutes: number;
}

// Psychological care (心理关爱): scales, one-time links, responses, alerts, caseloads and contacts.
export interface CareScalesTable {
  id: Generated<number>;
  code: string;
  title_zh: string;
  title_en: string;
  loinc: string | null;
  total_loinc: string | null;
  definition: string;
  builtin: number;
  created_by: number | null;
  created_at: string;
}
export interface CareLinksTable {
  id: Generated<number>;
  token_hash: string;
  scale_id: number;
  person_id: number;
  node_id: number;
  node_path: string;
  sent_by: number;
  sent_at: string;
  expires_at: string;
  draft_enc: string | null;
  draft_at: string | null;
  used_at: string | null;
}
export interface CareResponsesTable {
  id: Generated<number>;
  link_id: number;
  scale_id: number;
  person_id: number;
  node_id: number;
  node_path: string;
  answers_enc: string;
  total: number;
  band: string;
  crisis: string;
  submitted_at: string;
}
export interface CareCasesTable {
  id: Generated<number>;
  person_id: number;
  node_id: number;
  node_path: string;
  counsellor_id: number;
  status: 'open' | 'referred' | 'closed';
  risk: 'low' | 'moderate' | 'high' | 'imminent';
  next_contact_on: string | null;
  last_contact_at: string | null;
  referral_kind: 'community_health' | 'psychiatry' | 'hotline' | null;
  referral_enc: string | null;
  referred_at: string | null;
  close_note_enc: string | null;
  opened_at: string;
  closed_at: string | null;
}
export interface CareContactsTable {
  id: Generated<number>;
  case_id: number;
  kind: 'call' | 'message' | 'visit';
  note_enc: string;
  at: string;
  by_user_id: number;
}
export interface CareAlertsTable {
  id: Generated<number>;
  response_id: number;
  person_id: number;
  node_id: number;
  node_path: string;
  counsellor_id: number | null;
  status: 'open' | 'acknowledged';
  raised_at: string;
  ack_by: string;
  escalated_at: string | null;
  acknowledged_at: string | null;
  acknowledged_by: number | null;
  case_id: number | null;
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
  event_categories: EventCategoriesTable;
  departments: DepartmentsTable;
  department_members: DepartmentMembersTable;
  events: EventsTable;
  event_departments: EventDepartmentsTable;
  event_history: EventHistoryTable;
  event_photos: EventPhotosTable;
  work_calendar_days: WorkCalendarDaysTable;
  event_kpi_daily: EventKpiDailyTable;
  notifications: NotificationsTable;
  open311_keys: Open311KeysTable;
  incident_commands: IncidentCommandsTable;
  incident_command_officers: IncidentCommandOfficersTable;
  directives: DirectivesTable;
  directive_targets: DirectiveTargetsTable;
  directive_history: DirectiveHistoryTable;
  directive_files: DirectiveFilesTable;
  report_templates: ReportTemplatesTable;
  report_submissions: ReportSubmissionsTable;
  notices: NoticesTable;
  notice_deliveries: NoticeDeliveriesTable;
  notice_progress: NoticeProgressTable;
  live_counters: LiveCountersTable;
  live_events: LiveEventsTable;
  login_throttles: LoginThrottlesTable;
  checkpoints: CheckpointsTable;
  roster_patterns: RosterPatternsTable;
  shifts: ShiftsTable;
  shift_assignments: ShiftAssignmentsTable;
  shift_check_ins: ShiftCheckInsTable;
  passages: PassagesTable;
  passage_people: PassagePeopleTable;
  passage_idempotency: PassageIdempotencyTable;
  passage_hourly: PassageHourlyTable;
  risk_rules: RiskRulesTable;
  handoffs: HandoffsTable;
  handoff_history: HandoffHistoryTable;
  shift_swaps: ShiftSwapsTable;
  shift_reminders: ShiftRemindersTable;
  observation_orders: ObservationOrdersTable;
  observation_carers: ObservationCarersTable;
  observation_members: ObservationMembersTable;
  observation_follow_ups: ObservationFollowUpsTable;
  questionnaires: QuestionnairesTable;
  sweeps: SweepsTable;
  sweep_targets: SweepTargetsTable;
  sweep_helpers: SweepHelpersTable;
  mediation_orgs: MediationOrgsTable;
  mediators: MediatorsTable;
  mediation_cases: MediationCasesTable;
  mediation_parties: MediationPartiesTable;
  mediation_evidence: MediationEvidenceTable;
  mediation_sessions: MediationSessionsTable;
  mediation_messages: MediationMessagesTable;
  mediation_agreements: MediationAgreementsTable;
  mediation_signatures: MediationSignaturesTable;
  mediation_confirmations: MediationConfirmationsTable;
  micro_hearings: MicroHearingsTable;
  mediation_follow_ups: MediationFollowUpsTable;
  mediation_stats_daily: MediationStatsDailyTable;
  volunteer_orgs: VolunteerOrgsTable;
  volunteer_org_coordinators: VolunteerOrgCoordinatorsTable;
  volunteers: VolunteersTable;
  volunteer_invitations: VolunteerInvitationsTable;
  callouts: CalloutsTable;
  callout_signups: CalloutSignupsTable;
  service_requests: ServiceRequestsTable;
  care_rules: CareRulesTable;
  care_roster: CareRosterTable;
  care_visits: CareVisitsTable;
  volunteer_hours: VolunteerHoursTable;
  volunteer_hours_yearly: VolunteerHoursYearlyTable;
  care_scales: CareScalesTable;
  care_links: CareLinksTable;
  care_responses: CareResponsesTable;
  care_cases: CareCasesTable;
  care_contacts: CareContactsTable;
  care_alerts: CareAlertsTable;
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
export type EventRow = Selectable<EventsTable>;
export type NewEvent = Insertable<EventsTable>;
export type EventCategoryRow = Selectable<EventCategoriesTable>;
export type DepartmentRow = Selectable<DepartmentsTable>;
