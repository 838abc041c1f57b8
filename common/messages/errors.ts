// Problem titles by problem code (the `code` of every problem+json answer), plus the reasons a
// 403 names (`forbidden.*`) and the records a 404 names (`not_found.*`).
import { clientErrorMessages } from './client-errors.js';
import type { Texts } from './index.js';

export const errorMessages = {
  // The platform
  validation_failed: { 'zh-CN': '提交的内容不符合要求', en: 'The request is not valid' },
  internal: {
    'zh-CN': '服务器内部错误，请记下请求编号并反馈',
    en: 'Something went wrong on our side; quote the request id when reporting it',
  },
  rate_limited: { 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests, try again later' },
  ...clientErrorMessages,
  not_found: { 'zh-CN': '记录不存在', en: 'Not found' },
  'not_found.route': { 'zh-CN': '没有这个地址', en: 'No such address' },
  'not_found.login_throttle': { 'zh-CN': '登录限制不存在', en: 'Sign-in throttle not found' },
  'not_found.format': {
    'zh-CN': '不支持的格式，请使用 .json 或 .xml',
    en: 'Unknown format: use .json or .xml',
  },
  'not_found.open311': { 'zh-CN': '{what} 不存在', en: '{what} not found' },
  'not_found.node': { 'zh-CN': '节点不存在', en: 'Node not found' },
  'not_found.event': { 'zh-CN': '事件不存在', en: 'Event not found' },
  'not_found.directive': { 'zh-CN': '指令不存在', en: 'Directive not found' },
  'not_found.directive_target': { 'zh-CN': '指令的接收单位不存在', en: 'Directive target not found' },
  'not_found.report_template': { 'zh-CN': '报表不存在', en: 'Report template not found' },
  'not_found.notice': { 'zh-CN': '告知书不存在', en: 'Notice not found' },
  'not_found.file': { 'zh-CN': '文件不存在', en: 'File not found' },
  'not_found.user': { 'zh-CN': '用户不存在', en: 'User not found' },
  'not_found.role': { 'zh-CN': '角色不存在', en: 'Role not found' },
  'not_found.checkpoint': { 'zh-CN': '卡口不存在', en: 'Checkpoint not found' },
  'not_found.shift': { 'zh-CN': '班次不存在', en: 'Shift not found' },
  'not_found.shift_assignment': { 'zh-CN': '该人员不在此班次', en: 'Not on this shift' },
  'not_found.swap': { 'zh-CN': '换班申请不存在', en: 'Swap request not found' },
  'not_found.command': { 'zh-CN': '指挥部不存在', en: 'Incident command not found' },
  'not_found.import': { 'zh-CN': '导入任务不存在', en: 'Import not found' },
  'not_found.delivery': { 'zh-CN': '送达记录不存在', en: 'Delivery not found' },
  'not_found.tag': { 'zh-CN': '标签不存在', en: 'Tag not found' },
  'not_found.photo': { 'zh-CN': '照片不存在', en: 'Photo not found' },
  'not_found.person': { 'zh-CN': '人员不存在', en: 'Person not found' },
  'not_found.member': { 'zh-CN': '成员不存在', en: 'Member not found' },
  'not_found.household': { 'zh-CN': '户不存在', en: 'Household not found' },
  'not_found.error_rows': { 'zh-CN': '没有错误行', en: 'Error rows not found' },
  'not_found.department': { 'zh-CN': '部门不存在', en: 'Department not found' },
  'not_found.category': { 'zh-CN': '事件分类不存在', en: 'Category not found' },
  'not_found.calendar_day': { 'zh-CN': '该日不在工作日历中', en: 'Calendar day not found' },
  'not_found.assignment': { 'zh-CN': '角色分配不存在', en: 'Assignment not found' },
  'not_found.api_key': { 'zh-CN': '密钥不存在', en: 'API key not found' },
  forbidden: { 'zh-CN': '超出您的辖区或角色权限', en: 'Outside your jurisdiction or role' },
  'forbidden.no_access_rule': { 'zh-CN': '该接口未声明访问规则', en: 'This route declares no access rule' },
  'forbidden.throttles_root': {
    'zh-CN': '只有区级管理员才能查看和解除登录限制',
    en: 'Only a district-level administrator sees and lifts sign-in throttles',
  },
  'forbidden.audit_anchors_root': {
    'zh-CN': '只有区级审计员才能查看和生成审计锚点',
    en: 'Only a district-level auditor reads and writes the chain’s anchors',
  },
  'forbidden.audit_verify_root': {
    'zh-CN': '只有区级审计员才能校验整条审计链',
    en: 'Only a district-level auditor verifies the whole chain',
  },
  'forbidden.export_no_scope': {
    'zh-CN': '您既不能查看事件，也不属于任何部门',
    en: 'You read no events and belong to no department',
  },
  'forbidden.event_action': {
    'zh-CN': '您的角色不能对该事件执行此操作',
    en: 'Your role does not take this action on this event',
  },
  'forbidden.event_reveal': {
    'zh-CN': '查看报告人电话需要本辖区的查看权限，或属于主办部门',
    en: 'Revealing the reporter’s phone needs the reveal permission here, or the lead department',
  },
  'forbidden.directive_respond': {
    'zh-CN': '只有本节点的责任人才能签收和反馈',
    en: 'Only who is responsible at this node signs for and reports on it',
  },
  'forbidden.directive_relay': {
    'zh-CN': '只有本节点的指挥人员才能转发',
    en: 'Only who commands at this node relays it',
  },
  'forbidden.district_list': {
    'zh-CN': '只有区级管理员才能修改全区通用的清单',
    en: 'Only a district-level administrator changes this district-wide list',
  },
  'forbidden.user_outside': {
    'zh-CN': '该用户还在您辖区以外任职',
    en: 'This user also works outside your jurisdiction',
  },
  'forbidden.grant_missing': {
    'zh-CN': '不能授予您在此处没有的权限：{permissions}',
    en: 'You cannot grant permissions you do not hold here: {permissions}',
  },
  'forbidden.no_action': { 'zh-CN': '您的角色不包含此操作', en: 'Your roles do not include this action' },
  'forbidden.households_outside': {
    'zh-CN': '部分户不在您的辖区内',
    en: 'Some households are outside your jurisdiction',
  },
  // Accounts
  'auth.required': { 'zh-CN': '请先登录', en: 'Sign in first' },
  'auth.invalid_credentials': { 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' },
  'auth.invalid_api_key': { 'zh-CN': 'API 密钥无效', en: 'API key not recognised' },
  'auth.locked': {
    'zh-CN': '从该地址登录失败次数过多，已暂时锁定，请稍后再试或联系管理员解除',
    en: 'Sign-in from this address is locked for a while after repeated failures',
  },
  'auth.throttled': {
    'zh-CN': '登录失败次数过多，请稍候再试',
    en: 'Too many failed sign-ins; wait a moment before trying again',
  },
  'auth.address_locked': {
    'zh-CN': '该地址登录失败次数过多，请稍后再试',
    en: 'Too many failed sign-ins from this address; try again later',
  },
  'auth.totp_required': {
    'zh-CN': '请输入验证器应用中的动态验证码',
    en: 'Enter the code from your authenticator app',
  },
  'auth.totp_invalid': { 'zh-CN': '动态验证码错误', en: 'Wrong authenticator code' },
  'auth.wrong_password': { 'zh-CN': '当前密码错误', en: 'The current password is wrong' },
  'auth.totp_enabled': { 'zh-CN': '两步验证已经开启', en: 'Two-factor sign-in is already on' },
  'auth.totp_not_setup': { 'zh-CN': '请先设置两步验证', en: 'Set up two-factor sign-in first' },
  'auth.totp_state': { 'zh-CN': '两步验证状态未改变', en: 'Two-factor sign-in is already in that state' },
  'csrf.invalid': { 'zh-CN': '会话校验失败，请刷新页面后重试', en: 'Missing or wrong x-csrf-token header' },
  'role.builtin_fixed': {
    'zh-CN': '内置角色的权限不可修改，请新建自定义角色',
    en: "A built-in role's permissions cannot be changed; create a custom role instead",
  },
  'role.code_taken': { 'zh-CN': '角色代码 {code} 已被使用', en: 'Role code {code} is taken' },
  'user.self_disable': { 'zh-CN': '不能停用自己的账户', en: 'You cannot disable yourself' },
  'user.username_taken': { 'zh-CN': '用户名 {username} 已被使用', en: 'Username {username} is taken' },
  'assignment.exists': { 'zh-CN': '该用户在此辖区已有此角色', en: 'The user already has this role here' },
  'apikey.revoked': { 'zh-CN': '密钥已吊销', en: 'Already revoked' },
  'open311_key.revoked': { 'zh-CN': '密钥已吊销', en: 'Already revoked' },
  'open311.contact': { 'zh-CN': '请联系区社会治理中心', en: 'Contact the district social governance centre' },
  'open311.key_service': {
    'zh-CN': '接口密钥由区级管理员签发（邻里 → Open311 密钥）',
    en: 'API keys are issued by the district administrator (Linli → Open311 keys)',
  },
  'open311.invalid': { 'zh-CN': '请求不符合要求', en: 'The request is not valid' },
  'open311.api_key_missing': {
    'zh-CN': '提交服务请求须提供 api_key',
    en: 'api_key is required to post a service request',
  },
  'open311.api_key_invalid': {
    'zh-CN': 'api_key 无效：不存在或已吊销',
    en: 'Invalid api_key: unknown or revoked',
  },
  // Requests and files
  'request.invalid_json': { 'zh-CN': '请求内容不是有效的 JSON', en: 'The body is not valid JSON' },
  'request.empty_json': { 'zh-CN': '请求内容为空', en: 'The JSON body is empty' },
  'request.too_large': { 'zh-CN': '文件或请求过大', en: 'The file or request is too large' },
  'request.unsupported_media_type': { 'zh-CN': '不支持的内容类型', en: 'Unsupported content type' },
  'request.invalid_content_length': { 'zh-CN': '请求长度无效', en: 'Invalid content length' },
  'request.invalid_content_type': { 'zh-CN': '内容类型无效', en: 'Invalid content type' },
  'request.bad_url': { 'zh-CN': '请求地址无效', en: 'The address is not valid' },
  'request.param_too_long': { 'zh-CN': '地址中的某一部分过长', en: 'A part of the address is too long' },
  'request.invalid_utf8': { 'zh-CN': '请求内容不是有效的 UTF-8 编码', en: 'The body is not valid UTF-8' },
  'request.bad_request': { 'zh-CN': '请求无效', en: 'Bad request' },
  'request.not_multipart': {
    'zh-CN': '请以 multipart/form-data 方式上传文件',
    en: 'Send the file as multipart/form-data',
  },
  'request.file_missing': { 'zh-CN': '请选择要上传的文件', en: 'No file in the upload' },
  // Imports
  'import.empty': { 'zh-CN': '文件没有表头或工作表', en: 'The file has no sheet or header row' },
  'import.missing_columns': { 'zh-CN': '文件缺少必需的列：{columns}', en: 'Missing columns: {columns}' },
  'import.too_many_rows': { 'zh-CN': '每个文件最多 {max} 行', en: 'At most {max} rows per file' },
  'import.too_large': {
    'zh-CN': '文件过大，无法导入：{limit}超过上限 {max}',
    en: 'The file is too large to import: {limit} is over the limit of {max}',
  },
  'import.unreadable': {
    'zh-CN': '无法读取该文件，请另存为 .xlsx 或 .csv',
    en: 'The workbook could not be read; save it as .xlsx or .csv',
  },
  'import.unsupported_type': { 'zh-CN': '请上传 .xlsx 或 .csv 文件', en: 'Upload an .xlsx or .csv file' },
  'import.invalid_characters': {
    'zh-CN': '第 {row} 行含有空字符，请另存为 UTF-8 文本或 .xlsx',
    en: 'Row {row} contains a NUL character; save the file again as UTF-8 text or .xlsx',
  },
  // Nodes
  'node.code_taken': {
    'zh-CN': '编码 {code} 在 {parent} 下已被使用',
    en: 'Code {code} is already used under {parent}',
  },
  'node.has_records': {
    'zh-CN': '该辖区下已有记录（{records}），暂不能移动',
    en: 'Records are placed in this subtree ({records}); it cannot be moved',
  },
  'node.has_children': { 'zh-CN': '请先撤销或移走下级节点', en: 'Retire or move the children first' },
  'node.level_mismatch': {
    'zh-CN': '新上级须为{level}，与原上级相同',
    en: 'The new parent must be at the level {level}, like the old one',
  },
  'node.move_into_self': {
    'zh-CN': '不能移动到自身的下级之中',
    en: 'A node cannot move into its own subtree',
  },
  'node.no_child_level': { 'zh-CN': '{level}不能再有下级', en: 'The level {level} cannot have children' },
  'node.parent_retired': { 'zh-CN': '上级节点已撤销', en: 'The parent node is retired' },
  'node.retired': { 'zh-CN': '该节点已撤销', en: 'The node is retired' },
  'node.root_fixed': {
    'zh-CN': '区县根节点不能移动或撤销',
    en: 'The district root cannot be moved or retired',
  },
  // People
  'person.duplicate': { 'zh-CN': '该身份证号已登记', en: 'This ID number is already registered' },
  'person.merged': {
    'zh-CN': '该人员记录已被合并到另一条记录',
    en: 'The record was already merged into another one',
  },
  'person.merge_self': { 'zh-CN': '请选择另一个人员进行合并', en: 'Choose another person to merge' },
  'person.node_not_grid': { 'zh-CN': '人员须登记到网格', en: 'A person lives in a grid' },
  'person.node_unknown': { 'zh-CN': '网格不存在', en: 'Unknown grid' },
  'person.unknown_tag': { 'zh-CN': '标签不存在：{tags}', en: 'Unknown tags: {tags}' },
  'person.household_unknown': { 'zh-CN': '户不存在', en: 'Unknown household' },
  'tag.code_taken': { 'zh-CN': '标签编码 {code} 已被使用', en: 'Tag {code} exists' },
  // Events
  'event.attributes': { 'zh-CN': '补充信息填写有误', en: 'Extra fields are not valid' },
  'event.category': { 'zh-CN': '请选择有效的小类', en: 'Choose an active sub-category' },
  'event.outside': {
    'zh-CN': '该位置不在本区任何网格内',
    en: 'The point is not inside any grid of the district',
  },
  'event.node': { 'zh-CN': '地点不存在', en: 'Unknown place' },
  'event.transition': {
    'zh-CN': '事件当前为“{state}”，不能执行“{action}”',
    en: 'Cannot {action} an event that is {state}',
  },
  'event.reason': { 'zh-CN': '请填写原因', en: 'A reason is required' },
  'event.department': {
    'zh-CN': '请选择服务此地的有效部门',
    en: 'Choose active departments that serve this place',
  },
  'event.duplicate_of': { 'zh-CN': '重复的原事件不存在', en: 'Unknown event' },
  'event.top': { 'zh-CN': '该事件已由区级负责', en: 'The event is already owned by the district' },
  'event.concurrent': {
    'zh-CN': '他人同时处理了该事件，请刷新后再试',
    en: 'Someone acted on this event at the same moment; load it again',
  },
  'event.no_phone': { 'zh-CN': '报告人未留电话', en: 'The reporter left no phone number' },
  'event.evaluated': { 'zh-CN': '该事件不能在此评价', en: 'This event cannot be rated from here' },
  'event.with_mediation': {
    'zh-CN': '该事件已转人民调解，调解结束前不能评价',
    en: 'This event is with people’s mediation: it cannot be rated before the mediation ends',
  },
  'event.export_too_large': {
    'zh-CN': '导出最多 {max} 条，当前筛选有 {total} 条，请缩小筛选范围',
    en: 'At most {max} events per export ({total} match): narrow the filters',
  },
  'category.invalid': { 'zh-CN': '事件分类设置有误', en: 'The category is not valid' },
  'category.code_taken': { 'zh-CN': '该分类编码已被使用', en: 'This code is taken' },
  'department.node': { 'zh-CN': '节点不存在', en: 'Unknown node' },
  'department.scope': { 'zh-CN': '超出您的辖区', en: 'Outside your jurisdiction' },
  'department.user': { 'zh-CN': '用户不存在', en: 'Unknown user' },
  'photo.invalid': { 'zh-CN': '该照片无法使用', en: 'The photo cannot be used' },
  'photo.unknown': {
    'zh-CN': '部分照片不是您待用的上传，或已被使用',
    en: 'Some photos are not uploads of yours waiting to be used',
  },
  'photo.busy': {
    'zh-CN': '待用照片过多，请先不带照片提交或稍后再试',
    en: 'Too many photos are waiting to be used; send the report without one or try again later',
  },
  // Command
  'command.node': { 'zh-CN': '节点不存在', en: 'Unknown node' },
  'command.officers': { 'zh-CN': '值班人员不存在', en: 'Unknown duty officers' },
  'command.closed': { 'zh-CN': '该指挥部已关闭', en: 'The incident command is closed' },
  // Joint defence: checkpoints and duty rosters
  'checkpoint.node': { 'zh-CN': '节点不存在', en: 'Unknown node' },
  'checkpoint.command': {
    'zh-CN': '指挥部不存在、已关闭或不覆盖该卡口',
    en: 'The incident command is unknown, closed or does not cover the checkpoint',
  },
  'checkpoint.lead': { 'zh-CN': '带班负责人不存在', en: 'Unknown lead' },
  'checkpoint.closed': { 'zh-CN': '卡口已关闭', en: 'The checkpoint is closed' },
  'shift.pattern': { 'zh-CN': '班次设置有误', en: 'The shift pattern is not valid' },
  'shift.range': {
    'zh-CN': '排班日期应为 {max} 天以内的有效日期段',
    en: 'Roster a range of real dates of at most {max} days',
  },
  'shift.user': { 'zh-CN': '人员不存在或已停用', en: 'Unknown or disabled person' },
  'shift.already_assigned': { 'zh-CN': '该人员已在此班次', en: 'Already on this shift' },
  'shift.overlap': {
    'zh-CN': '该人员在这段时间已排了其他班次',
    en: 'This person is already on another shift at that time',
  },
  'shift.pattern_clash': {
    'zh-CN': '按此模式生成的 {start} 班次与已有班次时间重叠，请先调整模式或日期',
    en: 'The shift this pattern makes at {start} overlaps a shift already rostered; change the pattern or the dates',
  },
  'shift.ended': { 'zh-CN': '班次已结束，不能再调整人员', en: 'The shift has ended: its people are fixed' },
  'shift.check_in_window': { 'zh-CN': '不在签到时间内', en: 'Not within the check-in window' },
  'shift.checked_in': { 'zh-CN': '已经签到', en: 'Already checked in' },
  'shift.not_checked_in': { 'zh-CN': '尚未签到，不能签退', en: 'Check in before checking out' },
  'shift.checked_out': { 'zh-CN': '已经签退', en: 'Already checked out' },
  'swap.invalid': { 'zh-CN': '不能这样换班', en: 'This swap is not possible' },
  'swap.pending': {
    'zh-CN': '此班次已有一个待审批的换班申请',
    en: 'A swap request for this shift is already waiting for the lead',
  },
  'swap.decided': { 'zh-CN': '该换班申请已处理', en: 'The swap request has been decided already' },
  'directive.invalid': { 'zh-CN': '指令内容有误', en: 'The directive is not valid' },
  'directive.issuer': { 'zh-CN': '发令节点不存在', en: 'Unknown issuing node' },
  'directive.command': { 'zh-CN': '此地没有对应的指挥部', en: 'Unknown command for this place' },
  'directive.transition': {
    'zh-CN': '接收单位当前为“{state}”，不能执行“{action}”',
    en: 'Cannot {action} a target that is {state}',
  },
  'directive.relayed': { 'zh-CN': '本节点已转发过该指令', en: 'This node has relayed the directive already' },
  'directive.concurrent': {
    'zh-CN': '他人同时处理了该指令，请刷新后再试',
    en: 'Someone acted on this target at the same moment; load it again',
  },
  'directive.relay_node': {
    'zh-CN': '该节点不能转发此指令',
    en: 'The directive cannot be relayed at this node',
  },
  'directive.remind_node': { 'zh-CN': '该节点不在此指令之下', en: 'The node is not under this directive' },
  'directive.board_node': { 'zh-CN': '该节点不在此指令之下', en: 'The node is not under this directive' },
  'directive_file.invalid': { 'zh-CN': '该文件不能作为附件', en: 'The file cannot be attached' },
  'directive_file.unknown': {
    'zh-CN': '部分文件不是您待用的上传，或已被使用',
    en: 'Some files are not uploads of yours waiting to be used',
  },
  // Reports
  'report.invalid_template': { 'zh-CN': '报表设置有误，请检查各项', en: 'The report template is not valid' },
  'report.invalid_submission': { 'zh-CN': '填报内容有误，请检查各项', en: 'The report is not valid' },
  'report.template_retired': { 'zh-CN': '该报表已停用', en: 'The report template is retired' },
  'report.node_outside': {
    'zh-CN': '该单位不在此报表范围内',
    en: 'The node is outside this report’s jurisdiction',
  },
  'report.export_too_large': {
    'zh-CN': '导出最多 {max} 行，请缩小范围',
    en: 'At most {max} rows per export: choose a smaller node or period',
  },
  'report.concurrent_submission': {
    'zh-CN': '他人同时提交了该报表，请刷新后再试',
    en: 'Someone submitted this report at the same moment; load it again',
  },
  // Notices
  'notice.no_households': {
    'zh-CN': '该范围内没有登记的户',
    en: 'There are no households in this subtree to deliver to',
  },
  'notice.households': {
    'zh-CN': '部分户不能登记本告知书的送达',
    en: 'Some households cannot take this notice',
  },
  'notice.command': {
    'zh-CN': '所选指挥部不能发布本告知书',
    en: 'The incident command cannot take this notice',
  },
  'notice.node': { 'zh-CN': '地点不存在', en: 'Unknown place' },
  'notice.node_outside': {
    'zh-CN': '该节点不在告知书的发布范围内',
    en: 'The node is not in the notice’s subtree',
  },
  // Joint defence: passages, risk rules and hand-offs
  'not_found.passage': { 'zh-CN': '通行登记不存在', en: 'Passage not found' },
  'not_found.handoff': { 'zh-CN': '转交任务不存在', en: 'Hand-off not found' },
  'passage.idempotency_key': {
    'zh-CN': '请求头 Idempotency-Key 缺失或格式有误（8 至 64 位字母、数字、下划线或连字符）',
    en: 'The Idempotency-Key header is missing or malformed (8 to 64 letters, digits, _ or -)',
  },
  'passage.idempotency_conflict': {
    'zh-CN': '该幂等键已用于另一份不同的登记',
    en: 'This idempotency key was already used for a different registration',
  },
  'passage.checkpoint_not_open': {
    'zh-CN': '卡口当前为“{status}”，不能登记通行',
    en: 'The checkpoint is {status}: passages cannot be registered there',
  },
  'passage.invalid': { 'zh-CN': '登记内容有误', en: 'The registration is not valid' },
  'passage.range': {
    'zh-CN': '统计时段应为 {max} 天以内',
    en: 'Statistics cover at most {max} days',
  },
  'handoff.transition': {
    'zh-CN': '转交任务当前为“{state}”，不能执行“{action}”',
    en: 'Cannot {action} a hand-off that is {state}',
  },
  // Home observation
  'not_found.observation': { 'zh-CN': '居家观察不存在', en: 'Home observation not found' },
  'not_found.follow_up': { 'zh-CN': '该日没有随访', en: 'The order has no follow-up on that day' },
  'observation.already_active': {
    'zh-CN': '{name}正在居家观察中（至 {endDate}），请延期而不是重复开具',
    en: '{name} is already observed at home (until {endDate}): extend that order instead',
  },
  'observation.start_window': {
    'zh-CN': '开始日期应在昨天至 {days} 天后之间',
    en: 'The start date must lie between yesterday and {days} days from today',
  },
  'observation.command_elsewhere': {
    'zh-CN': '只能选择本人所在地或其上级开设的指挥部',
    en: 'Choose an incident command opened at the person’s place or above it',
  },
  'observation.max_days': {
    'zh-CN': '居家观察合计不能超过 {max} 天',
    en: 'An observation cannot last more than {max} days in all',
  },
  'observation.transition': {
    'zh-CN': '居家观察当前为“{status}”，不能执行此操作',
    en: 'The observation is {status}: this step is not possible',
  },
  'observation.release_early': {
    'zh-CN': '观察期到 {endDate} 结束，届时方可解除',
    en: 'The observation ends on {endDate}: it can be released from then on',
  },
  'observation.follow_up_future': {
    'zh-CN': '不能登记今天（{today}）以后的随访',
    en: 'Follow-ups after today ({today}) cannot be recorded yet',
  },
  'observation.follow_up_closed': {
    'zh-CN': '该日随访已是“{status}”，不能再登记',
    en: 'That day’s follow-up is already {status}',
  },
  'observation.not_carer': {
    'zh-CN': '所选用户不能担任该居家观察的照护人',
    en: 'The chosen user cannot care for this observation',
  },
  'observation.alert_not_open': {
    'zh-CN': '该日没有待处置的身体异常提醒',
    en: 'That day raised no open alert of someone seen unwell',
  },
  'observation.member_elsewhere': {
    'zh-CN': '同住观察人员须是本人所在网格的人员',
    en: 'Household members observed with them must be registered in the same place',
  },
  // Screening sweeps and questionnaires
  'not_found.sweep': { 'zh-CN': '摸排不存在', en: 'Screening sweep not found' },
  'not_found.sweep_target': { 'zh-CN': '摸排名单中没有该对象', en: 'Not on the sweep’s list' },
  'not_found.questionnaire': { 'zh-CN': '问卷不存在', en: 'Questionnaire not found' },
  'not_found.sweep_pairing': {
    'zh-CN': '该干部未与该网格结对',
    en: 'The cadre is not paired with that grid',
  },
  'sweep.closed': { 'zh-CN': '该摸排已结束', en: 'The sweep is closed' },
  'sweep.target_done': {
    'zh-CN': '该对象已完成摸排（{status}）',
    en: 'This person’s visit is already finished ({status})',
  },
  'sweep.too_many_targets': {
    'zh-CN': '摸排对象 {count} 人，超过上限 {max} 人：请缩小范围',
    en: 'The sweep would have {count} targets, more than {max}: narrow it',
  },
  'sweep.no_targets': {
    'zh-CN': '所选范围内没有符合条件的人员',
    en: 'No one in the chosen place matches the population',
  },
  'sweep.command_elsewhere': {
    'zh-CN': '只能选择摸排范围或其上级开设、尚未关闭的指挥部',
    en: 'Choose an open incident command at the swept place or above it',
  },
  'sweep.not_grid': {
    'zh-CN': '请选择本次摸排范围内的网格',
    en: 'Choose a grid within the sweep’s place',
  },
  'sweep.not_helper': {
    'zh-CN': '该用户不能入户摸排，或不在该网格及其上级任职',
    en: 'The user cannot record visits, or holds no place at or above the grid',
  },
  'sweep.answers_required': {
    'zh-CN': '已作答的走访须填写问卷',
    en: 'An answered visit needs the questionnaire’s answers',
  },
  'sweep.answers_not_expected': {
    'zh-CN': '未作答的走访不能附带问卷答案',
    en: 'A visit without answers cannot carry answers',
  },
  'sweep.found_elsewhere': {
    'zh-CN': '该人员已在本次摸排的其他名单上',
    en: 'That person is on another list of this sweep',
  },
  'sweep.found_outside': {
    'zh-CN': '该身份证号登记在其他网格：请村社先将其迁入本网格',
    en: 'That ID number is registered in another grid: the village moves the record here first',
  },
  'questionnaire.version_taken': {
    'zh-CN': '同一问卷刚有人发布了新版本，请刷新后重试',
    en: 'Someone published a version of this questionnaire at the same moment: reload and try again',
  },
  'sweep.node_level': {
    'zh-CN': '摸排范围须为网格或以上',
    en: 'A sweep covers a grid or a place above it',
  },
  'sweep.household_elsewhere': {
    'zh-CN': '所选户须在该网格内',
    en: 'The household must be in that grid',
  },
  // Joint services
  'not_found.volunteer': { 'zh-CN': '志愿者不存在', en: 'Volunteer not found' },
  'not_found.volunteer_org': { 'zh-CN': '志愿组织不存在', en: 'Volunteer organisation not found' },
  'not_found.volunteer_invitation': {
    'zh-CN': '邀请链接无效、已过期或名额已满',
    en: 'The invitation link is invalid, expired or used up',
  },
  'not_found.callout': { 'zh-CN': '志愿召集不存在', en: 'Call-out not found' },
  'not_found.signup': { 'zh-CN': '您没有报名该召集', en: 'You have not signed up for this call-out' },
  'not_found.service_request': { 'zh-CN': '服务需求不存在', en: 'Service request not found' },
  'not_found.care_roster': { 'zh-CN': '关爱对象不在走访名单中', en: 'Not on the care roster' },
  'forbidden.not_volunteer': {
    'zh-CN': '只有登记在册的志愿者可以报名',
    en: 'Only registered volunteers can sign up',
  },
  'services.volunteer_exists': { 'zh-CN': '此人已登记为志愿者', en: 'This person is a volunteer already' },
  'services.volunteer_exists_row': {
    'zh-CN': '第 {row} 行：此人已登记为志愿者',
    en: 'Row {row}: this person is a volunteer already',
  },
  'services.volunteer_inactive': {
    'zh-CN': '该志愿者未在服务状态或没有账号',
    en: 'The volunteer is not active or has no account',
  },
  'services.callout_past': { 'zh-CN': '召集的结束时间已过', en: 'The call-out would end in the past' },
  'services.callout_full': {
    'zh-CN': '名额已满（共 {capacity} 人）',
    en: 'The call-out is full ({capacity} places)',
  },
  'services.callout_closed': { 'zh-CN': '该召集已结束或已取消', en: 'The call-out is over or cancelled' },
  'services.callout_started': { 'zh-CN': '召集已开始', en: 'The call-out has started' },
  'services.callout_skills': {
    'zh-CN': '该召集需要您尚未登记的技能',
    en: 'The call-out asks for skills you have not registered',
  },
  'services.signed_up_already': { 'zh-CN': '您已报名该召集', en: 'You have signed up already' },
  'services.signup_state': {
    'zh-CN': '您的报名当前不能进行此操作',
    en: 'This step is not possible for your sign-up now',
  },
  'services.check_in_early': { 'zh-CN': '签到在 {opens} 开放', en: 'Check-in opens at {opens}' },
  'services.shift_over': { 'zh-CN': '该班次已结束', en: 'The shift is over' },
  'services.shift_called_out': { 'zh-CN': '该班次已发布召集', en: 'This shift has a call-out already' },
  'services.shift_covered': { 'zh-CN': '该班次人员已齐', en: 'The shift is fully staffed' },
  'services.request_state': {
    'zh-CN': '该服务需求当前不能进行此操作',
    en: 'This step is not possible for the service request now',
  },
  'services.resident_not_found': {
    'zh-CN': '在所选地点未找到与姓名和身份证号相符的居民',
    en: 'No resident with this name and ID number at the place chosen',
  },
  'services.visit_future': {
    'zh-CN': '走访日期不能晚于今天（{today}）',
    en: 'The visit cannot be after today ({today})',
  },
  'services.visit_before_roster': {
    'zh-CN': '走访日期早于列入名单的日期（{start}）',
    en: 'The visit is before the person joined the roster ({start})',
  },
  // Joint mediation
  'not_found.mediation_case': { 'zh-CN': '调解案件不存在', en: 'Mediation case not found' },
  'not_found.mediation_org': { 'zh-CN': '调解组织或微法庭不存在', en: 'Mediation organisation not found' },
  'not_found.mediation_party': { 'zh-CN': '该案没有这个当事人', en: 'No such party in this case' },
  'not_found.mediator': { 'zh-CN': '调解员不存在', en: 'Mediator not found' },
  'not_found.mediation_session': { 'zh-CN': '调解会议不存在', en: 'Mediation session not found' },
  'not_found.mediation_agreement': { 'zh-CN': '调解协议不存在', en: 'Mediation agreement not found' },
  'not_found.sign_link': {
    'zh-CN': '签署链接无效或已使用',
    en: 'The signing link is not valid or has been used',
  },
  'not_found.mediation_confirmation': {
    'zh-CN': '司法确认申请不存在',
    en: 'Application for judicial confirmation not found',
  },
  'not_found.hearing': { 'zh-CN': '庭审预约不存在', en: 'Hearing not found' },
  'not_found.mediation_follow_up': { 'zh-CN': '回访记录不存在', en: 'Follow-up visit not found' },
  'mediation.transition': {
    'zh-CN': '案件当前为“{status}”，不能进行此操作',
    en: 'Not possible now: the case’s state is “{status}”',
  },
  'mediation.consent_missing': {
    'zh-CN': '须各方当事人均同意调解后方可指派调解员（人民调解法第十七条）',
    en: 'Every party must agree to mediation before a mediator is designated (Art. 17)',
  },
  'mediation.not_refused': { 'zh-CN': '没有当事人拒绝调解', en: 'No party has refused mediation' },
  'mediation.signatures_missing': {
    'zh-CN': '尚有当事人或调解员未签名',
    en: 'A party or the mediator has not signed yet',
  },
  'mediation.ladder_top': {
    'zh-CN': '已在区级，无法再上移',
    en: 'The case is at the district already: there is no level above',
  },
  'mediation.mediator_taken': {
    'zh-CN': '该用户已是此组织的调解员',
    en: 'This user is already a mediator of this organisation',
  },
  'mediation.event_not_dispute': {
    'zh-CN': '只有矛盾纠纷类事件可以转人民调解',
    en: 'Only a dispute event can be handed to people’s mediation',
  },
  'mediation.no_committee': {
    'zh-CN': '该地及上级均未设人民调解委员会',
    en: 'No people’s mediation committee at or above this place',
  },
  'mediation.dossier_busy': {
    'zh-CN': '案号正被占用，请重试',
    en: 'The dossier number was taken at the same moment: try again',
  },
  'mediation.sides_missing': {
    'zh-CN': '须至少一名申请人和一名被申请人',
    en: 'A case needs at least one applicant and one respondent',
  },
  'mediation.mediator_conflict': {
    'zh-CN': '该调解员与当事人有利害关系，应回避',
    en: 'This mediator is related to a party and must stand aside',
  },
  'mediation.evidence_full': {
    'zh-CN': '每案最多 50 份证据',
    en: 'A case holds at most 50 pieces of evidence',
  },
  'mediation.session_closed': {
    'zh-CN': '该调解会议已结束',
    en: 'This session is over',
  },
  'mediation.no_mediator': { 'zh-CN': '尚未指派调解员', en: 'No mediator has been designated' },
  'mediation.changed': {
    'zh-CN': '案件刚被他人修改，请刷新后重试',
    en: 'The case was just changed by someone else: reload and try again',
  },
  'mediation.agreement_closed': {
    'zh-CN': '该协议已生效或已作废，不能再签署',
    en: 'This agreement is in effect or void: it can no longer be signed',
  },
  'mediation.already_signed': { 'zh-CN': '已签名', en: 'Already signed' },
  'mediation.identity_mismatch': {
    'zh-CN': '姓名或身份证号与案件登记不一致',
    en: 'The name or ID number does not match the case',
  },
  'mediation.not_in_effect': {
    'zh-CN': '协议尚未生效',
    en: 'The agreement is not in effect yet',
  },
  'mediation.confirmation_late': {
    'zh-CN': '司法确认须在协议生效后 30 日内申请（截至 {by}）',
    en: 'Judicial confirmation must be applied for within 30 days of the agreement taking effect (by {by})',
  },
  'mediation.confirmation_exists': {
    'zh-CN': '该协议已申请司法确认',
    en: 'Judicial confirmation has already been applied for',
  },
  'mediation.confirmation_state': {
    'zh-CN': '该申请当前不能进行此操作',
    en: 'This step is not possible for the application now',
  },
  'mediation.point_booked': {
    'zh-CN': '该微法庭在 {from} 至 {to} 已有预约',
    en: 'The micro-court point is booked from {from} to {to}',
  },
  'mediation.hearing_closed': { 'zh-CN': '该庭审已结束或已取消', en: 'The hearing is over or cancelled' },
  'mediation.no_such_participant': { 'zh-CN': '参加人不在名单中', en: 'No such participant' },
  'mediation.follow_up_done': { 'zh-CN': '该回访已登记', en: 'This follow-up is recorded already' },
  'mediation.evidence_invalid': { 'zh-CN': '证据文件不合要求', en: 'The evidence file is not acceptable' },
  'mediation.period': {
    'zh-CN': '结束日期不能早于开始日期',
    en: 'The period ends before it starts',
  },
  // Psychological care
  'not_found.scale': { 'zh-CN': '测量表不存在', en: 'Scale not found' },
  'not_found.scale_link': { 'zh-CN': '链接无效', en: 'This link is not valid' },
  'not_found.care_response': { 'zh-CN': '测评记录不存在', en: 'Scale response not found' },
  'not_found.care_alert': { 'zh-CN': '预警不存在', en: 'Alert not found' },
  'not_found.care_case': { 'zh-CN': '个案不存在', en: 'Care case not found' },
  'not_found.care_person': {
    'zh-CN': '此人不在您可关爱的范围内（居家观察、关爱名单或您的个案）',
    en: 'This person is not one you may reach (home observation, the care roster or your caseload)',
  },
  'care.link_used': {
    'zh-CN': '这份问卷已经提交过了，谢谢您',
    en: 'This questionnaire has already been sent. Thank you',
  },
  'care.link_expired': {
    'zh-CN': '这个链接已过期，请联系发给您链接的工作人员',
    en: 'This link has expired: please ask the person who sent it for a new one',
  },
  'care.scale_exists': { 'zh-CN': '已有同一代码的测量表', en: 'A scale with this code exists' },
  'care.alert_acknowledged': { 'zh-CN': '该预警已被确认', en: 'The alert was acknowledged already' },
  'care.case_closed': { 'zh-CN': '个案已结案', en: 'The case is closed' },
  'care.case_referred': { 'zh-CN': '个案已转介', en: 'The case was referred already' },
} as const satisfies Record<string, Texts>;
