// Texts stored as codes with parameters and rendered when read: escalation reasons, history actors,
// notifications, import row errors, identity checks; and the labels those parameters name.
import type { Texts } from './index.js';

export const recordMessages = {
  // Labels a parameter may name (rendered in the same language as the text around it)
  'level.district': { 'zh-CN': '区县', en: 'district' },
  'import.limit.zipEntries': { 'zh-CN': '压缩包内的条目数', en: 'the number of entries in the workbook' },
  'import.limit.zipDeclaredBytes': {
    'zh-CN': '工作簿解压后的总字节数',
    en: 'the bytes the workbook unpacks to',
  },
  'import.limit.sheetBytes': { 'zh-CN': '工作表解压后的字节数', en: 'the bytes the worksheet unpacks to' },
  'import.limit.sharedStringsBytes': {
    'zh-CN': '共享字符串解压后的字节数',
    en: 'the bytes the shared strings unpack to',
  },
  'import.limit.sharedStringChars': {
    'zh-CN': '共享字符串的字符数',
    en: 'the characters of the shared strings',
  },
  'import.limit.partBytes': {
    'zh-CN': '工作簿某一部分解压后的字节数',
    en: 'the bytes a part of the workbook unpacks to',
  },
  'import.limit.rows': { 'zh-CN': '行数', en: 'the number of rows' },
  'import.limit.columns': { 'zh-CN': '某一行的列数', en: 'the columns of a row' },
  'import.limit.cellChars': { 'zh-CN': '某个单元格的字符数', en: 'the characters of a cell' },
  'level.town': { 'zh-CN': '镇街', en: 'town/street' },
  'level.village': { 'zh-CN': '村社', en: 'village/community' },
  'level.grid': { 'zh-CN': '网格', en: 'grid' },
  'level.microgrid': { 'zh-CN': '微网格', en: 'micro-grid' },
  'event_state.reported': { 'zh-CN': '待受理', en: 'reported' },
  'event_state.accepted': { 'zh-CN': '已立案', en: 'filed' },
  'event_state.rejected': { 'zh-CN': '不予立案', en: 'rejected' },
  'event_state.dispatched': { 'zh-CN': '待签收', en: 'dispatched' },
  'event_state.returned': { 'zh-CN': '已退回', en: 'returned' },
  'event_state.in_progress': { 'zh-CN': '处置中', en: 'in progress' },
  'event_state.extension_requested': { 'zh-CN': '延期申请中', en: 'awaiting an extension' },
  'event_state.parked': { 'zh-CN': '挂账', en: 'parked' },
  'event_state.handled': { 'zh-CN': '待核查', en: 'awaiting verification' },
  'event_state.closed': { 'zh-CN': '已结案', en: 'closed' },
  'event_state.evaluated': { 'zh-CN': '已评价', en: 'evaluated' },
  'event_state.reopened': { 'zh-CN': '已重启', en: 'reopened' },
  'event_action.report': { 'zh-CN': '上报', en: 'report' },
  'event_action.accept': { 'zh-CN': '立案', en: 'accept' },
  'event_action.reject': { 'zh-CN': '不予立案', en: 'reject' },
  'event_action.dispatch': { 'zh-CN': '派遣', en: 'dispatch' },
  'event_action.sign': { 'zh-CN': '签收', en: 'sign for' },
  'event_action.return': { 'zh-CN': '退回', en: 'return' },
  'event_action.request_extension': { 'zh-CN': '申请延期', en: 'request an extension for' },
  'event_action.approve_extension': { 'zh-CN': '同意延期', en: 'approve an extension for' },
  'event_action.refuse_extension': { 'zh-CN': '不同意延期', en: 'refuse an extension for' },
  'event_action.park': { 'zh-CN': '挂账', en: 'park' },
  'event_action.resume': { 'zh-CN': '恢复办理', en: 'resume' },
  'event_action.feed_back': { 'zh-CN': '处置反馈', en: 'report handling of' },
  'event_action.verify_pass': { 'zh-CN': '核查通过', en: 'pass verification of' },
  'event_action.verify_fail': { 'zh-CN': '核查不通过', en: 'fail verification of' },
  'event_action.close': { 'zh-CN': '结案', en: 'close' },
  'event_action.evaluate_satisfied': { 'zh-CN': '满意评价', en: 'rate as satisfied' },
  'event_action.evaluate_dissatisfied': { 'zh-CN': '不满意评价', en: 'rate as not satisfied' },
  'event_action.escalate': { 'zh-CN': '升级', en: 'escalate' },
  'target_state.pending': { 'zh-CN': '待签收', en: 'pending' },
  'target_state.signed': { 'zh-CN': '已签收', en: 'signed for' },
  'target_state.reported': { 'zh-CN': '已反馈', en: 'reported back' },
  'target_action.sign': { 'zh-CN': '签收', en: 'sign for' },
  'target_action.report': { 'zh-CN': '反馈', en: 'report back on' },
  'target_action.relay': { 'zh-CN': '转发', en: 'relay' },
  // Who took a step, when no user did
  'actor.system': { 'zh-CN': '系统', en: 'system' },
  'actor.resident': { 'zh-CN': '群众', en: 'resident' },
  // Reasons the system writes into histories (the cockpit's and the wall screen's escalations)
  'escalation.event.sign': { 'zh-CN': '超过签收时限', en: 'Sign-for time limit passed' },
  'escalation.event.handle': { 'zh-CN': '超过办理时限', en: 'Handling time limit passed' },
  'escalation.event.verify': { 'zh-CN': '超过核查时限', en: 'Verification time limit passed' },
  'escalation.directive.sign': { 'zh-CN': '超过签收时限', en: 'Sign-for deadline passed' },
  'escalation.directive.report': { 'zh-CN': '超过反馈时限', en: 'Report-back deadline passed' },
  'reason.not_satisfied': { 'zh-CN': '群众不满意', en: 'The reporter is not satisfied' },
  // Notifications (the bell and /notifications)
  'notification.event.dispatch': { 'zh-CN': '新派遣事件：{title}', en: 'New event dispatched: {title}' },
  'notification.event.return': { 'zh-CN': '事件被退回：{title}', en: 'Event returned: {title}' },
  'notification.event.request_extension': {
    'zh-CN': '延期申请：{title}',
    en: 'Extension requested: {title}',
  },
  'notification.event.feed_back': { 'zh-CN': '待核查：{title}', en: 'To verify: {title}' },
  'notification.event.verify_fail': {
    'zh-CN': '核查未通过，需返工：{title}',
    en: 'Verification failed, rework: {title}',
  },
  'notification.event.evaluate_dissatisfied': {
    'zh-CN': '群众不满意，事件重启：{title}',
    en: 'Reporter not satisfied, event reopened: {title}',
  },
  'notification.event.escalate': {
    'zh-CN': '事件升级至{level}级：{title}',
    en: 'Event escalated to the {level} level: {title}',
  },
  'notification.directive.issued': {
    'zh-CN': '新指令待签收：{title}',
    en: 'New directive to sign for: {title}',
  },
  'notification.directive.reported': {
    'zh-CN': '{node} 已反馈：{title}',
    en: '{node} reported back: {title}',
  },
  'notification.directive.reminded': {
    'zh-CN': '请尽快签收并反馈：{title}',
    en: 'Please sign for and report back: {title}',
  },
  'notification.directive.escalated': {
    'zh-CN': '指令在{node}以下 {count} 处逾期未办（{places}）：{title}',
    en: 'Directive overdue at {count} place(s) below {node} ({places}): {title}',
  },
  'notification.swap.requested': {
    'zh-CN': '{name}申请换班：{checkpoint}',
    en: '{name} asks to swap a shift at {checkpoint}',
  },
  'notification.swap.approved': {
    'zh-CN': '换班申请已批准：{checkpoint}',
    en: 'Swap approved at {checkpoint}',
  },
  'notification.swap.refused': {
    'zh-CN': '换班申请未获批准：{checkpoint}',
    en: 'Swap refused at {checkpoint}',
  },
  'notification.shift.reminder': {
    'zh-CN': '值班提醒：{start} 在{checkpoint}上岗',
    en: 'Shift reminder: on duty at {checkpoint} from {start}',
  },
  // Identity and contact checks (forms, imports)
  'id.length': {
    'zh-CN': '身份证号应为18位（或15位旧号）',
    en: 'An ID number has 18 characters (or 15 digits for a legacy one)',
  },
  'id.region': { 'zh-CN': '地区码无效', en: 'Invalid region code' },
  'id.birth_date': { 'zh-CN': '出生日期无效', en: 'Invalid birth date' },
  'id.birth_future': { 'zh-CN': '出生日期在未来', en: 'The birth date is in the future' },
  'id.check_char': { 'zh-CN': '校验码错误', en: 'Wrong check character' },
  'phone.invalid': { 'zh-CN': '手机号无效', en: 'Not a mainland mobile number' },
  // Import row errors (kept as codes in the job and rendered for the error list and workbook)
  'import_row.required': { 'zh-CN': '{column}必填', en: '{column} is required' },
  'import_row.too_long': { 'zh-CN': '{column}过长（最多 {max} 字）', en: '{column} is longer than {max}' },
  'import_row.duplicate_row': { 'zh-CN': '与第 {row} 行重复', en: 'Same as row {row}' },
  'import_row.no_id_reason': {
    'zh-CN': '无身份证号时须填写有效的无证原因',
    en: 'An ID number or a valid no-ID reason is required',
  },
  'import_row.grid_ambiguous': {
    'zh-CN': '网格名称不唯一，请填写编码',
    en: 'The grid name is ambiguous: use its code',
  },
  'import_row.grid_unknown': {
    'zh-CN': '网格不存在或不在您的辖区',
    en: 'Unknown grid, or outside your jurisdiction',
  },
  'import_row.grid_inactive': { 'zh-CN': '不是有效网格', en: 'Not an active grid' },
  'import_row.residence_type': {
    'zh-CN': '人员类型应为 户籍人口/流动人口/返乡人员',
    en: 'The residence type is registered, floating or returnee',
  },
  'import_row.unknown_tag': { 'zh-CN': '标签不存在', en: 'Unknown tag' },
  'import_row.real_date': {
    'zh-CN': '不是有效日期：可写作 2024-03-05、2024/3/5、2024年3月5日 或 20240305',
    en: 'Not a real date: write it as 2024-03-05, 2024/3/5 or 20240305',
  },
  'import_row.number_lost_digits': {
    'zh-CN':
      '{column}被 Excel 存成了数字，末尾几位已经丢失，不能导入。请把这一列设为“文本”格式，重新录入（或以文本形式粘贴）后再导入',
    en: 'Excel stored this {column} as a number and its last digits are lost, so it cannot be imported. Format the column as Text, enter the numbers again (or paste them as text), then import again',
  },
  'import_row.number_lost_zeros': {
    'zh-CN': '{column}被 Excel 存成了数字，开头的 0 已经丢失。请把这一列设为“文本”格式，重新录入后再导入',
    en: 'Excel stored this {column} as a number and dropped its leading zeros. Format the column as Text, enter the codes again, then import again',
  },
  'import_row.registered': { 'zh-CN': '已登记（人员 #{id}）', en: 'Already registered (person #{id})' },
  'import_row.registered_elsewhere': { 'zh-CN': '已登记（在其他辖区）', en: 'Already registered elsewhere' },
  // Rows of an import's file not read as data
  'import_skip.above_header': {
    'zh-CN': '在表头之上（如标题行），未作为数据读取',
    en: 'Above the header row (a title, say): not read as data',
  },
  'import_skip.blank': { 'zh-CN': '空行，已跳过', en: 'Blank row: skipped' },
  'import_skip.total': { 'zh-CN': '合计行，已跳过', en: 'A total row: skipped' },
  'import.sheet_errors': { 'zh-CN': '错误行', en: 'Errors' },
  'import.column_row': { 'zh-CN': '行号', en: 'Row' },
  'import.column_error': { 'zh-CN': '错误', en: 'Error' },
  'import_row.invalid': { 'zh-CN': '{column}无效', en: '{column} is not valid' },
  'import_row.parent_unknown': {
    'zh-CN': '上级编码 {code} 不存在（或其所在行有错误）',
    en: 'Parent {code} not found (or its row has errors)',
  },
  'import_row.parent_outside': {
    'zh-CN': '无权在该上级下新增，或上级已撤销',
    en: 'Outside your jurisdiction, or the parent is retired',
  },
  'import_row.code_digits': { 'zh-CN': '编码须为3位数字', en: 'The code is 3 digits' },
  'import_row.no_children': { 'zh-CN': '该层级不能有下级', en: 'This level has no children' },
  'import_row.level': { 'zh-CN': '层级应为{level}', en: 'The level must be {level}' },
  'import_row.code_exists': { 'zh-CN': '编码 {code} 已存在', en: 'Code {code} already exists' },
  'import_row.code_in_file': {
    'zh-CN': '编码 {code} 在文件中重复',
    en: 'Code {code} is duplicated in the file',
  },
  // Joint defence: why a traveller is risky, and hand-offs to the destination grid
  'passage.risk.key_region': {
    'zh-CN': '14 天内有重点地区旅居史',
    en: 'In a key region in the last 14 days',
  },
  'passage.risk.case_contact': { 'zh-CN': '有确诊病例密切接触史', en: 'Close contact with a confirmed case' },
  'passage.risk.fever': { 'zh-CN': '体温异常', en: 'Fever' },
  'passage.risk.origin_key_region': { 'zh-CN': '来自重点地区', en: 'Comes from a key region' },
  'handoff.state.open': { 'zh-CN': '待走访', en: 'open' },
  'handoff.state.visited': { 'zh-CN': '已走访', en: 'visited' },
  'handoff.state.closed': { 'zh-CN': '已办结', en: 'closed' },
  'notification.handoff.created': {
    'zh-CN': '{checkpoint}转来风险人员{name}，前往{node}，请于 {due} 前走访排查',
    en: '{checkpoint} hands over {name}, at risk and bound for {node}: visit and screen by {due}',
  },
  'notification.handoff.escalated': {
    'zh-CN': '{node}的风险人员转交任务逾期未走访：{name}（来自{checkpoint}）',
    en: 'A risk hand-off at {node} is overdue: {name} (from {checkpoint})',
  },
  // Home observation: states, outcomes and what carers and villages are told
  'observation.status.active': { 'zh-CN': '观察中', en: 'in observation' },
  'observation.status.released': { 'zh-CN': '已解除', en: 'released' },
  'observation.status.transferred': { 'zh-CN': '已转出', en: 'transferred' },
  'observation.follow_up.due': { 'zh-CN': '待随访', en: 'due' },
  'observation.follow_up.well': { 'zh-CN': '情况良好', en: 'seen well' },
  'observation.follow_up.unwell': { 'zh-CN': '身体异常', en: 'seen unwell' },
  'observation.follow_up.not_reached': { 'zh-CN': '未联系上', en: 'not reached' },
  'observation.follow_up.refused': { 'zh-CN': '拒绝随访', en: 'refused' },
  'observation.follow_up.missed': { 'zh-CN': '漏访', en: 'missed' },
  'notification.observation.carer': {
    'zh-CN': '您被指定为{name}（{node}）的居家观察照护人，{start} 至 {end} 每日随访',
    en: 'You care for {name} ({node}) in home observation: a follow-up each day from {start} to {end}',
  },
  'notification.observation.unwell': {
    'zh-CN': '居家观察人员{name}（{node}）{date} 随访身体异常，请立即处置',
    en: '{name} ({node}), observed at home, was seen unwell on {date}: act now',
  },
  'notification.observation.missed': {
    'zh-CN': '居家观察人员{name}（{node}）{date} 未随访',
    en: 'No follow-up of {name} ({node}) in home observation on {date}',
  },
} as const satisfies Record<string, Texts>;
