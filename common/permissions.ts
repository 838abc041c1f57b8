// The one permissions registry. Roles are named sets of these codes, stored in the database.
export const PERMISSIONS = {
  'nodes.read': { zh: '查看辖区', en: 'View jurisdiction' },
  'nodes.manage': { zh: '管理辖区树', en: 'Manage jurisdiction tree' },
  'users.read': { zh: '查看用户', en: 'View users' },
  'users.manage': { zh: '管理用户与授权', en: 'Manage users and assignments' },
  'roles.read': { zh: '查看角色', en: 'View roles' },
  'roles.manage': { zh: '管理角色', en: 'Manage roles' },
  'audit.read': { zh: '查看审计日志', en: 'View audit log' },
  'people.read': { zh: '查看人员与户', en: 'View people and households' },
  'people.write': { zh: '登记与修改人员', en: 'Register and edit people' },
  'people.reveal': { zh: '查看敏感信息（留痕）', en: 'Reveal sensitive fields (audited)' },
  'people.import': { zh: '批量导入人员', en: 'Import people' },
  'people.merge': { zh: '合并重复人员', en: 'Merge duplicate people' },
  'tags.manage': { zh: '管理人员标签', en: 'Manage person tags' },
  'events.read': { zh: '查看事件', en: 'View events' },
  'events.report': { zh: '上报事件', en: 'Report events' },
  'events.triage': { zh: '受理、派遣与督办事件', en: 'File, dispatch and supervise events' },
  'events.handle': { zh: '部门处置事件', en: 'Handle dispatched events (department)' },
  'events.verify': { zh: '现场核查事件', en: 'Verify events on site' },
  'events.reveal': { zh: '查看事件上报人电话（留痕）', en: 'Reveal an event reporter’s phone (audited)' },
  'events.configure': { zh: '管理事件分类与工作日历', en: 'Manage event categories and the work calendar' },
  'departments.manage': { zh: '管理职能部门', en: 'Manage departments' },
  'command.read': { zh: '查看指挥调度与驾驶舱', en: 'View command, directives, reports and the cockpit' },
  'command.manage': { zh: '开设与关闭指挥部', en: 'Open and close incident commands' },
  'directives.issue': { zh: '下发与转发指令', en: 'Issue and relay directives' },
  'directives.respond': { zh: '签收与反馈指令', en: 'Sign for and report back on directives' },
  'reports.manage': { zh: '制定每日报表', en: 'Set up daily situation reports' },
  'reports.submit': { zh: '填报每日报表', en: 'Fill in daily situation reports' },
  'notices.publish': { zh: '发布告知书', en: 'Publish notices' },
  'notices.deliver': { zh: '登记告知书送达', en: 'Record notice delivery' },
  'checkpoints.read': { zh: '查看卡口与排班', en: 'View checkpoints and duty rosters' },
  'checkpoints.manage': { zh: '设立、开放与关闭卡口', en: 'Set up, open and close checkpoints' },
  'rosters.manage': { zh: '排班与安排值守人员', en: 'Roster shifts and assign people to them' },
  'shifts.check_in': { zh: '值班签到签退', en: 'Check in and out of duty shifts' },
  'passages.register': { zh: '卡口通行登记', en: 'Register passages at checkpoints' },
  'passages.read': { zh: '查看与统计通行登记', en: 'View, search and count passages' },
  'handoffs.handle': { zh: '接收并走访风险转交人员', en: 'Receive and visit risk hand-offs' },
  'risk_rules.manage': { zh: '设定风险规则', en: 'Set the risk rules of checkpoints' },
  'observations.read': { zh: '查看居家观察', en: 'View home observations' },
  'observations.manage': { zh: '开具、延期与解除居家观察', en: 'Order, extend and end home observations' },
  'observations.follow_up': {
    zh: '登记居家观察每日随访',
    en: 'Record daily follow-ups of home observations',
  },
  'sweeps.read': { zh: '查看摸排进度与结果', en: 'View screening sweeps, their progress and results' },
  'sweeps.manage': {
    zh: '发起、配对与结束摸排',
    en: 'Start screening sweeps, pair cadres with grids, close sweeps',
  },
  'sweeps.visit': { zh: '入户摸排登记', en: 'Record door-to-door screening visits' },
  'mediation.read': { zh: '查看调解案件与统计', en: 'View mediation cases and statistics' },
  'mediation.intake': { zh: '受理调解申请', en: 'Receive disputes for mediation' },
  'mediation.assign': { zh: '指派调解员', en: 'Designate mediators for cases' },
  'mediation.mediate': {
    zh: '主持调解、制作与签署调解协议',
    en: 'Mediate: sessions, minutes, agreements and follow-up visits',
  },
  'mediation.manage': { zh: '管理调解组织与调解员', en: 'Manage mediation organisations and mediators' },
  'mediation.confirm': { zh: '司法确认审查', en: 'Decide applications for judicial confirmation' },
  'hearings.manage': { zh: '预约云庭审', en: 'Book cloud hearings at micro-court points' },
  'hearings.assist': {
    zh: '微法庭协助庭审与现场核验身份',
    en: 'Assist hearings and check identities at a micro-court point',
  },
  'volunteers.read': {
    zh: '查看志愿服务：组织、志愿者、召集、服务需求与关爱走访',
    en: 'View joint services: organisations, volunteers, call-outs, service requests and care visits',
  },
  'volunteers.manage': { zh: '管理志愿组织与志愿者', en: 'Manage volunteer organisations and volunteers' },
  'callouts.post': { zh: '发布志愿召集', en: 'Post call-outs for volunteers' },
  'callouts.join': { zh: '报名志愿召集与现场签到', en: 'Sign up for call-outs and check in on site' },
  'service_requests.raise': { zh: '提出服务需求', en: 'Raise service requests for residents' },
  'services.assign': { zh: '服务派单与安排关爱走访', en: 'Match service requests and assign care visitors' },
  'care_rules.manage': { zh: '设定关爱走访频次', en: 'Set how often vulnerable residents are visited' },
  'care.visit': { zh: '登记关爱走访', en: 'Record care visits' },
  'scales.send': { zh: '发送心理测量表链接', en: 'Send psychological scale links to people' },
  'scales.manage': { zh: '管理心理测量表', en: 'Manage psychological scales' },
  'counselling.read': {
    zh: '查看心理测评作答、危机预警与个案',
    en: 'View scale answers, crisis alerts and caseloads',
  },
  'counselling.work': {
    zh: '心理干预：确认预警、联系记录、转介与结案',
    en: 'Counsel: acknowledge alerts, record contacts, refer and close cases',
  },
  'counselling.alerts': {
    zh: '查看本地心理危机预警（不含作答）',
    en: 'See crisis alerts in your area (without the answers)',
  },
  'counselling.stats': { zh: '查看心理关爱统计', en: 'View psychological care statistics' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type Permission = keyof typeof PERMISSIONS;

/** Permissions over district-wide lists (roles, tags): usable only where they reach the tree root. */
export const DISTRICT_WIDE: readonly Permission[] = [
  'roles.manage',
  'tags.manage',
  'events.configure',
  'care_rules.manage',
];
export const PERMISSION_CODES = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(v: string): v is Permission {
  return Object.hasOwn(PERMISSIONS, v);
}

/** What a route requires: a permission, any signed-in user, or nobody (public). */
export type RouteAccess = Permission | 'authenticated' | 'public';
