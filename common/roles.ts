// Built-in roles from domain.md: the one source of their grants. The server makes the database match
// these lists at every start (accounts/roles.seed.ts); an administrator may rename a built-in role but
// not change its grants (a custom role is the way), and migrations carry no grant lists.
//
// events.reveal (calling an event's reporter back) is its own permission rather than people.reveal:
// whoever triages needs the caller's number, the district commander included, who holds no
// people.reveal and should not gain the registry's ID numbers with it; and an administrator can take
// one away without the other. The lead department's handlers may reveal too, by membership (the
// events service), not by this permission.
import type { Permission } from './permissions.js';
import { PERMISSION_CODES } from './permissions.js';

export interface BuiltinRole {
  code: string;
  zh: string;
  en: string;
  permissions: readonly Permission[];
}

const VIEW: Permission[] = ['nodes.read'];
/** Who runs joint defence in their jurisdiction: sets up checkpoints, opens and closes them, rosters the shifts. */
const DEFENCE_LEAD: readonly Permission[] = [
  'checkpoints.read',
  'checkpoints.manage',
  'rosters.manage',
  // The checkpoint's chain of command reads its passages and follows its hand-offs.
  'passages.read',
];
/** Who commands: opens incident commands, issues directives, sets up daily reports, publishes notices. */
export const COMMAND_LEAD: readonly Permission[] = [
  'command.read',
  'command.manage',
  'directives.issue',
  'reports.manage',
  'notices.publish',
];
/** Who relays: signs for a directive at their node, passes it down with added instructions, reports back. */
export const COMMAND_RELAY: readonly Permission[] = [
  'command.read',
  'directives.issue',
  'directives.respond',
];

/** Who screens door to door and reads the results of their place. */
const SWEEP_WORK: readonly Permission[] = ['sweeps.read', 'sweeps.visit'];

/** Who mediates: takes disputes in, designates, holds sessions, drafts agreements, follows up. */
const MEDIATION_WORK: readonly Permission[] = [
  'mediation.read',
  'mediation.intake',
  'mediation.assign',
  'mediation.mediate',
];

/** Who raises needs for residents, follows them and visits the vulnerable: grid workers and cadres. */
const SERVICES_LOCAL: readonly Permission[] = ['volunteers.read', 'service_requests.raise', 'care.visit'];

/** Who orders home observation in their place and follows up on it (village cadres, grid workers). */
const OBSERVATION_CARE: readonly Permission[] = [
  'observations.read',
  'observations.manage',
  'observations.follow_up',
];

export const BUILTIN_ROLES: readonly BuiltinRole[] = [
  { code: 'system_admin', zh: '系统管理员', en: 'System administrator', permissions: PERMISSION_CODES },
  {
    code: 'district_commander',
    zh: '区指挥长',
    en: 'District commander',
    permissions: [
      'nodes.read',
      'users.read',
      'roles.read',
      'people.read',
      'events.read',
      'events.triage',
      'events.reveal',
      ...COMMAND_LEAD,
      ...DEFENCE_LEAD,
      'risk_rules.manage',
      'observations.read',
      // Start sweeps under their command, pair seconded cadres with grids, follow progress.
      'sweeps.read',
      'sweeps.manage',
      // Follow the district's mediation figures and set up its committees, points and mediators.
      'mediation.read',
      'mediation.manage',
      // Joint services: follow the district's volunteers and needs, call out, set the care rhythm;
      // a request nobody took at the town comes up to the district's command to match.
      'volunteers.read',
      'callouts.post',
      'services.assign',
      'care_rules.manage',
      // Psychological care: counts only (small cells suppressed below town level).
      'counselling.stats',
    ],
  },
  {
    code: 'town_commander',
    zh: '镇街指挥长',
    en: 'Town/street commander',
    permissions: [
      'nodes.read',
      'users.read',
      'people.read',
      'people.reveal',
      'people.merge',
      'events.read',
      'events.report',
      'events.triage',
      'events.reveal',
      'departments.manage',
      ...COMMAND_LEAD,
      'directives.respond',
      'reports.submit',
      ...DEFENCE_LEAD,
      'risk_rules.manage',
      'observations.read',
      // Start sweeps under their command, pair seconded cadres with grids, follow progress.
      'sweeps.read',
      'sweeps.manage',
      // The town committee: its cases, figures and mediators, and cases handed up the ladder.
      'mediation.read',
      'mediation.assign',
      'mediation.manage',
      // Joint services: call out the town's volunteers; requests nobody took escalate to the town.
      'volunteers.read',
      'callouts.post',
      'services.assign',
      // Psychological care: counts, and the town's urgent alerts (that one exists and whether a
      // counsellor took it, not the answers); told when one escalates to the town.
      'counselling.stats',
      'counselling.alerts',
    ],
  },
  {
    code: 'village_cadre',
    zh: '村社干部',
    en: 'Village/community cadre',
    permissions: [
      'nodes.read',
      'people.read',
      'people.write',
      'people.import',
      'people.reveal',
      'people.merge',
      'events.read',
      'events.report',
      'events.triage',
      'events.reveal',
      ...COMMAND_RELAY,
      'reports.submit',
      'notices.publish',
      'notices.deliver',
      // A village's cadres run the posts at its entrances and stand shifts themselves.
      ...DEFENCE_LEAD,
      'shifts.check_in',
      // They register at their posts, and a hand-off to a place above the grids comes to them.
      'passages.register',
      'handoffs.handle',
      // They order home observation in their village, follow up, and hear of those seen unwell.
      ...OBSERVATION_CARE,
      // They run the village's sweeps: visit, pair the cadres sent down, follow their grids' progress.
      ...SWEEP_WORK,
      'sweeps.manage',
      // The village's people's mediation committee: takes disputes in and designates a mediator.
      'mediation.read',
      'mediation.intake',
      'mediation.assign',
      // The community calls, party members answer (社区呼叫，党员报到); needs raised and matched here.
      ...SERVICES_LOCAL,
      'callouts.post',
      'services.assign',
      // Psychological care: the village knows an urgent alert exists (not the answers) and can send a
      // scale to a person in observation.
      'counselling.alerts',
      'scales.send',
    ],
  },
  {
    code: 'grid_worker',
    zh: '网格员',
    en: 'Grid worker',
    permissions: [
      'nodes.read',
      'people.read',
      'people.write',
      'events.read',
      'events.report',
      'events.verify',
      'command.read',
      'directives.respond',
      'reports.submit',
      'notices.deliver',
      // Grid workers are rostered at checkpoints alongside police, cadres and volunteers.
      'checkpoints.read',
      'shifts.check_in',
      // Registers when rostered at a post; visits the risky travellers handed to the grid.
      'passages.register',
      'handoffs.handle',
      // Orders home observation for people of the grid at risk and follows up on them daily.
      ...OBSERVATION_CARE,
      // Screens the grid's list door to door.
      ...SWEEP_WORK,
      // Raises needs for the grid's people, follows them, and visits those on the care roster.
      ...SERVICES_LOCAL,
      // Sends a psychological scale to a person in observation or on the care roster (never reads answers).
      'scales.send',
    ],
  },
  // A handler sees the events dispatched to their department, not every event of the node.
  {
    code: 'department_handler',
    zh: '部门处置人员',
    en: 'Department handler',
    permissions: ['nodes.read', 'events.handle'],
  },
  {
    code: 'checkpoint_staff',
    zh: '卡点值守人员',
    en: 'Checkpoint staff',
    permissions: ['nodes.read', 'checkpoints.read', 'shifts.check_in', 'passages.register'],
  },
  {
    code: 'mediator',
    zh: '调解员',
    en: 'Mediator',
    permissions: ['nodes.read', 'people.read', ...MEDIATION_WORK],
  },
  // A judge decides applications for judicial confirmation sent to their court and books cloud
  // hearings at micro-court points; they read agreements only as applications bring them.
  {
    code: 'judge',
    zh: '法官',
    en: 'Judge',
    permissions: [...VIEW, 'mediation.confirm', 'hearings.manage'],
  },
  // 特邀调解员: appointed by the court at a micro-court point (often the village party secretary):
  // mediates the village's disputes, sees the point's bookings, helps parties join and checks their IDs.
  {
    code: 'invited_mediator',
    zh: '特邀调解员',
    en: 'Invited mediator',
    permissions: ['nodes.read', ...MEDIATION_WORK, 'hearings.assist'],
  },
  // 山花帮帮团's counsellors: no registry. They reach the people of their caseload and those they
  // sent a scale to, and the people in home observation of their area (the care service checks it).
  {
    code: 'counsellor',
    zh: '心理咨询师',
    en: 'Counsellor',
    permissions: ['nodes.read', 'scales.send', 'counselling.read', 'counselling.work', 'counselling.stats'],
  },
  {
    code: 'volunteer_coordinator',
    zh: '志愿者协调员',
    en: 'Volunteer coordinator',
    // Runs volunteers, call-outs and matching; no registry: residents only as tasks name them.
    permissions: [
      'nodes.read',
      'users.read',
      'volunteers.read',
      'volunteers.manage',
      'callouts.post',
      'service_requests.raise',
      'services.assign',
    ],
  },
  {
    code: 'volunteer',
    zh: '志愿者',
    en: 'Volunteer',
    // A party member among the volunteers cares for people observed at home: the orders they are
    // named carer of, wherever those are (the observation service checks the naming).
    // As a volunteer: answers call-outs; the service requests and care visits given them come by
    // naming (the service checks it), never by place: care.visit would list the vulnerable nearby.
    permissions: ['nodes.read', 'shifts.check_in', 'observations.follow_up', 'callouts.join'],
  },
  // 下沉干部: a cadre of a district office sent down to help a grid in a sweep. Visits without reading:
  // only the lists of the grids they are paired with (the screening service checks the pairing).
  {
    code: 'seconded_cadre',
    zh: '下沉干部',
    en: 'Seconded cadre',
    permissions: ['nodes.read', 'sweeps.visit'],
  },
];
