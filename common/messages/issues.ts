// Field issue messages (each entry of a problem's `issues`), including the renderings of zod's own
// issues (`zod.*`) and the custom messages of the shared contracts.
import type { Texts } from './index.js';

export const issueMessages = {
  // zod's issue kinds, rendered per request language by the error mapper
  'zod.invalid': { 'zh-CN': '无效', en: 'invalid' },
  'zod.required': { 'zh-CN': '必填', en: 'required' },
  'zod.invalid_type': { 'zh-CN': '应为{expected}', en: 'expected {expected}' },
  'zod.too_small.string': { 'zh-CN': '至少 {minimum} 个字符', en: 'at least {minimum} characters' },
  'zod.too_small.number': { 'zh-CN': '不小于 {minimum}', en: 'at least {minimum}' },
  'zod.too_small.array': { 'zh-CN': '至少 {minimum} 项', en: 'at least {minimum} items' },
  'zod.too_big.string': { 'zh-CN': '最多 {maximum} 个字符', en: 'at most {maximum} characters' },
  'zod.too_big.number': { 'zh-CN': '不大于 {maximum}', en: 'at most {maximum}' },
  'zod.too_big.array': { 'zh-CN': '最多 {maximum} 项', en: 'at most {maximum} items' },
  'zod.invalid_format': { 'zh-CN': '格式不正确', en: 'not in the expected format' },
  'zod.invalid_format.datetime': { 'zh-CN': '应为带时区的日期时间', en: 'a date and time with a timezone' },
  'zod.invalid_format.date': { 'zh-CN': '应为日期（年-月-日）', en: 'a date (YYYY-MM-DD)' },
  'zod.invalid_format.email': { 'zh-CN': '应为电子邮箱地址', en: 'an email address' },
  'zod.invalid_format.url': { 'zh-CN': '应为网址', en: 'a URL' },
  'zod.invalid_value': { 'zh-CN': '应为以下之一：{values}', en: 'one of: {values}' },
  'zod.not_multiple_of': { 'zh-CN': '应为 {divisor} 的倍数', en: 'a multiple of {divisor}' },
  'zod.unrecognized_keys': { 'zh-CN': '未知字段 {field}', en: 'unknown field {field}' },
  'zod.invalid_union': { 'zh-CN': '不符合任何一种允许的形式', en: 'matches none of the allowed forms' },
  'zod.invalid_key': { 'zh-CN': '字段名无效', en: 'invalid key' },
  'zod.invalid_element': { 'zh-CN': '含有无效的项', en: 'contains an invalid item' },
  'type.string': { 'zh-CN': '文本', en: 'text' },
  'type.number': { 'zh-CN': '数字', en: 'a number' },
  'type.int': { 'zh-CN': '整数', en: 'a whole number' },
  'type.boolean': { 'zh-CN': '是或否', en: 'true or false' },
  'type.array': { 'zh-CN': '列表', en: 'a list' },
  'type.object': { 'zh-CN': '对象', en: 'an object' },
  'type.date': { 'zh-CN': '日期', en: 'a date' },
  'type.value': { 'zh-CN': '有效的值', en: 'a valid value' },
  // The contracts' own checks
  'issue.nothing_to_change': { 'zh-CN': '没有要修改的内容', en: 'nothing to change' },
  'issue.no_id_reason': { 'zh-CN': '无身份证号时须说明原因', en: 'give a reason when there is no ID number' },
  'issue.reason_required': { 'zh-CN': '须填写理由', en: 'a reason is required' },
  'issue.report_after_sign': {
    'zh-CN': '反馈时限须晚于签收时限',
    en: 'the report-back deadline comes after the sign-for deadline',
  },
  'issue.lat_lng_together': { 'zh-CN': '经度和纬度须同时填写', en: 'lat and lng go together' },
  'issue.point_or_node': { 'zh-CN': '请在地图上选点或选择地点', en: 'a map point or a node is required' },
  'issue.not_with_search': {
    'zh-CN': '按名称查找时不能同时指定此项',
    en: 'not allowed together with a search (q)',
  },
  'issue.search_only': { 'zh-CN': '只能与按名称查找一起使用', en: 'only with a search (q)' },
  'issue.coordinate': { 'zh-CN': '须为十进制经纬度数值', en: 'a decimal coordinate' },
  'issue.required_for_action': { 'zh-CN': '“{action}”时必填', en: 'required to {action}' },
  'issue.photos_with': {
    'zh-CN': '只有处置反馈和核查时可附照片',
    en: 'photos go with handling reports and verification',
  },
  'issue.resolved_by_verification': {
    'zh-CN': '“已解决”只能经现场核查结案',
    en: 'an event is resolved only by verification on site',
  },
  'issue.real_date': { 'zh-CN': '应为 YYYY-MM-DD 格式的真实日期', en: 'a real date as YYYY-MM-DD' },
  'issue.on_or_after_from': { 'zh-CN': '不早于开始日期', en: 'on or after from' },
  'issue.at_most_year': { 'zh-CN': '最长一年', en: 'at most a year' },
  'issue.at_most_days': { 'zh-CN': '最长 {days} 天', en: 'at most {days} days' },
  'issue.aggregate_numeric': {
    'zh-CN': '求和与最大值只用于整数和小数字段',
    en: 'sum and max are for integer and decimal fields only',
  },
  'issue.choices_required': { 'zh-CN': '选择字段须列出选项', en: 'a choice field lists its choices' },
  'issue.choices_only_choice': { 'zh-CN': '只有选择字段才有选项', en: 'only a choice field has choices' },
  'issue.choices_distinct': { 'zh-CN': '选项不能重复', en: 'choices are distinct' },
  'issue.on_or_after_start': { 'zh-CN': '不早于开始日期', en: 'on or after the start day' },
  'issue.field_codes_distinct': { 'zh-CN': '字段代码不能重复', en: 'field codes are distinct' },
  // Checks in services
  'issue.required': { 'zh-CN': '必填', en: 'required' },
  'issue.outside_place': { 'zh-CN': '不在邀请的范围内', en: 'outside the place of the invitation' },
  'issue.not_a_choice': { 'zh-CN': '“{value}”不是可选项', en: '“{value}” is not one of the choices' },
  'issue.duplicate_row': { 'zh-CN': '与第 {row} 行重复', en: 'the same as row {row}' },
  'issue.taken': { 'zh-CN': '已被使用', en: 'taken' },
  'issue.nul': { 'zh-CN': '含有空字符', en: 'contains a NUL character' },
  'issue.field_name_nul': { 'zh-CN': '字段名含有空字符', en: 'a field name contains a NUL character' },
  'issue.file_required': { 'zh-CN': '请选择文件', en: 'a file is required' },
  'issue.column_required': { 'zh-CN': '缺少“{column}”列', en: 'column {column} is required' },
  'issue.wrong_password': { 'zh-CN': '密码错误', en: 'wrong password' },
  'issue.wrong_code': { 'zh-CN': '验证码错误', en: 'wrong code' },
  'issue.event_id': { 'zh-CN': '应为事件编号（整数）', en: 'must be an event id (a whole number)' },
  'issue.unknown_node': { 'zh-CN': '节点不存在', en: 'unknown node' },
  'issue.unknown_or_retired_node': { 'zh-CN': '节点不存在或已撤销', en: 'unknown or retired node' },
  'issue.unknown_user': { 'zh-CN': '用户不存在', en: 'unknown user' },
  'issue.unknown_or_disabled_user': { 'zh-CN': '用户不存在或已停用', en: 'unknown or disabled user' },
  'issue.unknown_household': { 'zh-CN': '户不存在', en: 'unknown household' },
  'issue.unknown_tag': { 'zh-CN': '标签 {tag} 不存在', en: 'unknown tag {tag}' },
  'issue.unknown_event': { 'zh-CN': '不是您能查看的事件', en: 'not an event you can see' },
  'issue.choose_grid': { 'zh-CN': '请选择网格', en: 'choose a grid' },
  'issue.already_registered': { 'zh-CN': '已登记', en: 'already registered' },
  'issue.same_person': { 'zh-CN': '不能选择同一人', en: 'same person' },
  'issue.outside_scope': { 'zh-CN': '超出您的辖区', en: 'outside your jurisdiction' },
  'issue.outside_notice': { 'zh-CN': '不在告知书的发布范围内', en: 'outside the notice’s subtree' },
  'issue.no_households': { 'zh-CN': '此处及下级没有登记的户', en: 'no households registered here or below' },
  'issue.household_twice': { 'zh-CN': '户 {id} 重复列出', en: 'household {id} is listed twice' },
  'issue.household_unknown': { 'zh-CN': '户 {id} 不存在', en: 'household {id} does not exist' },
  'issue.household_not_addressed': {
    'zh-CN': '户 {id} 不在本告知书的送达范围',
    en: 'household {id} is not one this notice goes to',
  },
  'issue.household_outside': {
    'zh-CN': '户 {id} 不在您的辖区',
    en: 'household {id} is outside your jurisdiction',
  },
  'issue.outside_command': { 'zh-CN': '不在指挥部的辖区内', en: 'outside the incident command' },
  'issue.unknown_command': { 'zh-CN': '指挥部不存在', en: 'unknown incident command' },
  'issue.command_closed': { 'zh-CN': '指挥部已关闭', en: 'the incident command is closed' },
  // Events
  'issue.not_category_field': { 'zh-CN': '不是该分类的字段', en: 'not a field of this category' },
  'issue.field_required': { 'zh-CN': '{label}必填', en: '{label} is required' },
  'issue.whole_number': { 'zh-CN': '应为整数', en: 'a whole number' },
  'issue.number': { 'zh-CN': '应为数字', en: 'a number' },
  'issue.one_of': { 'zh-CN': '应为以下之一：{choices}', en: 'one of {choices}' },
  'issue.inactive_category': { 'zh-CN': '不是有效的小类', en: 'not an active sub-category' },
  'issue.outside_grids': {
    'zh-CN': '不在任何网格内，请改为选择地点',
    en: 'outside every grid; choose the place instead',
  },
  'issue.not_serving_department': {
    'zh-CN': '不是服务此地的部门',
    en: 'not a department serving this place',
  },
  'issue.upload_unknown': { 'zh-CN': '不存在、已过期或已被使用', en: 'unknown, expired or already used' },
  'issue.upload_used': { 'zh-CN': '已被使用', en: 'already used' },
  'issue.file_empty': { 'zh-CN': '文件为空', en: 'the file is empty' },
  'issue.file_too_big': { 'zh-CN': '最大 {mb} MB', en: 'at most {mb} MB' },
  'issue.photo_type': { 'zh-CN': '应为 JPEG、PNG 或 WebP 照片', en: 'a JPEG, PNG or WebP photo' },
  'issue.file_type': {
    'zh-CN':
      '应为 PDF、Word、Excel、PowerPoint（.docx、.xlsx、.pptx）文件，JPEG、PNG、WebP 照片，或 UTF-8 .txt 文本',
    en: 'a PDF, Word, Excel or PowerPoint (.docx, .xlsx, .pptx) file, a JPEG, PNG or WebP photo, or a UTF-8 .txt',
  },
  'issue.export_rows': { 'zh-CN': '共 {total} 条，最多 {max} 条', en: '{total} match; at most {max}' },
  'issue.not_top_category': { 'zh-CN': '不是大类', en: 'not a top-level category' },
  'issue.code_prefix': { 'zh-CN': '应以 {prefix}. 开头', en: 'starts with {prefix}.' },
  'issue.sub_required': { 'zh-CN': '小类必填', en: 'required for a sub-category' },
  'issue.top_no_dot': { 'zh-CN': '大类编码不含点号', en: 'a top-level code has no dot' },
  'issue.sub_only': { 'zh-CN': '只用于小类', en: 'only for a sub-category' },
  // Directives and commands
  'issue.not_below_issuer': { 'zh-CN': '不在发令节点之下', en: 'not below the issuing node' },
  'issue.not_inside_issuer': { 'zh-CN': '不在发令节点范围内', en: 'not inside the issuing node' },
  'issue.level_below_issuer': { 'zh-CN': '应为发令节点以下的层级', en: 'a level below the issuing node' },
  'issue.no_target_named': {
    'zh-CN': '没有指定发令节点以下的任何节点',
    en: 'names no node below the issuing node',
  },
  'issue.too_many_targets': {
    'zh-CN': '最多 {max} 个接收单位，请选择层级或减少地点',
    en: 'at most {max} targets; choose a level or fewer places',
  },
  'issue.future_time': { 'zh-CN': '应为将来的时间', en: 'a time in the future' },
  'issue.no_command_covers': {
    'zh-CN': '没有覆盖发令节点的指挥部',
    en: 'no incident command covers the issuing node',
  },
  'issue.no_target_below': { 'zh-CN': '此节点及以下没有接收单位', en: 'no target at or below this node' },
  // Reports
  'issue.not_report_field': { 'zh-CN': '不是该报表的字段', en: 'not a field of this report' },
  'issue.report_number': { 'zh-CN': '{label}：应为数字', en: '{label}: a number' },
  'issue.report_integer': { 'zh-CN': '{label}：应为整数', en: '{label}: a whole number' },
  'issue.report_range': { 'zh-CN': '{label}：应在 0 到 {max} 之间', en: '{label}: between 0 and {max}' },
  'issue.report_text': { 'zh-CN': '{label}：应为文本', en: '{label}: text' },
  'issue.report_choice': { 'zh-CN': '{label}：应为 {choices} 之一', en: '{label}: one of {choices}' },
  'issue.report_too_long': { 'zh-CN': '{label}：最多 {max} 字', en: '{label}: at most {max} characters' },
  'issue.open_command_covering': {
    'zh-CN': '应为覆盖该节点的未关闭指挥部',
    en: 'an open incident command covering the node',
  },
  'issue.not_reporter': {
    'zh-CN': '不是本报表的填报单位（{node}下的每个{level}）',
    en: 'not a reporter of this report (every {level} under {node})',
  },
  'issue.outside_report': { 'zh-CN': '不在报表的范围内', en: 'not in the report’s subtree' },
  'issue.node_retired': { 'zh-CN': '节点已撤销', en: 'the node is retired' },
  'issue.level_below_node': {
    'zh-CN': '应为该节点（{level}）以下的层级',
    en: 'a level below the node ({level})',
  },
  'issue.day_not_future': {
    'zh-CN': '不能是将来的日期（今天是 {today}，北京时间）',
    en: 'not in the future (today is {today}, Asia/Shanghai)',
  },
  'issue.day_after_start': {
    'zh-CN': '不早于报表开始日期 {day}',
    en: 'on or after the report’s start day {day}',
  },
  'issue.day_before_end': {
    'zh-CN': '不晚于报表结束日期 {day}',
    en: 'on or before the report’s end day {day}',
  },
  'issue.export_cells': {
    'zh-CN': '{reporters} 个单位 × {days} 天',
    en: '{reporters} reporters × {days} days',
  },
  // Vehicle plates (joint defence: passage registration; `parsePlate` in common/validators.ts)
  'plate.wrong_length': {
    'zh-CN':
      '车牌位数不对：省份简称和一个字母之后，普通车牌 5 位，新能源车牌 6 位，挂、学、警等车牌 4 位再加该字',
    en: 'wrong length: after the province and a letter come 5 characters (6 for new energy; 4 and the suffix for a trailer, learner, police car and the like)',
  },
  'plate.unknown_province': {
    'zh-CN': '第一个字应为省份简称（如京、沪、粤），使馆车辆为“使”',
    en: 'the first character is a province abbreviation, or the embassy character',
  },
  'plate.authority_letter': {
    'zh-CN': '第二位应为发牌机关的字母',
    en: 'the second character is the issuing authority’s letter',
  },
  'plate.letter_i_or_o': {
    'zh-CN': '车牌不用字母 {letters}，请改为数字 1 或 0',
    en: 'plates use no {letters}: type the digit 1 or 0',
  },
  'plate.bad_character': {
    'zh-CN': '号码只能是字母和数字，挂、学、警等字只在末位',
    en: 'only letters and digits; a suffix (trailer, learner, police and the like) comes last',
  },
  'plate.new_energy_form': {
    'zh-CN': '新能源车牌：小型车第三位为 {letters}、后四位为数字；大型车前五位为数字、末位为 {letters}',
    en: 'new energy: {letters} third and 4 digits last (small), or 5 digits then {letters} (large)',
  },
  'plate.cross_border': {
    'zh-CN': '港澳车辆的车牌以{prefix}开头',
    en: 'cross-border plates start with {prefix}',
  },
  'plate.embassy_form': {
    'zh-CN': '使馆车牌为“使”字加 6 位数字',
    en: 'an embassy plate is the embassy character and 6 digits',
  },
  // Duty shifts at checkpoints (joint defence; server/modules/defence/roster.ts)
  'shift.too_early': {
    'zh-CN': '还未到签到时间：本班 {start} 开始，{opens} 起可签到',
    en: 'too early to check in: the shift starts at {start}; check-in opens at {opens}',
  },
  'shift.too_late': {
    'zh-CN': '签到时间已过：本班 {start} 开始，{closes} 截止签到，请联系带班负责人',
    en: 'too late to check in: the shift started at {start} and check-in closed at {closes}; ask the lead',
  },
  'shift.pattern_empty': { 'zh-CN': '至少要有一个班次', en: 'at least one shift' },
  'shift.pattern_time': {
    'zh-CN': '开始时间应为“时:分”，如 08:00',
    en: 'a start time as hours:minutes, e.g. 08:00',
  },
  'shift.pattern_duration': {
    'zh-CN': '每班时长应为 {min} 到 {max} 分钟的整数',
    en: 'a shift lasts a whole number of minutes from {min} to {max}',
  },
  'shift.pattern_overlap': {
    'zh-CN': '{first} 开始的班次与 {second} 开始的班次时间重叠',
    en: 'the shift starting at {first} overlaps the one starting at {second}',
  },
  'shift.swap_same_person': { 'zh-CN': '不能与自己换班', en: 'a swap needs two different people' },
  'shift.swap_same_shift': {
    'zh-CN': '不能在同一个班次内换班',
    en: 'a swap is between two different shifts',
  },
  'shift.swap_not_assigned': {
    'zh-CN': '换班双方须各自在要换出的班次上值班',
    en: 'each side of a swap is on the shift they give up',
  },
  'shift.swap_other_checkpoint': {
    'zh-CN': '只能与同一卡口的班次互换',
    en: 'a swap stays within one checkpoint',
  },
  'shift.swap_overlap': {
    'zh-CN': '两个班次时间重叠，不能互换',
    en: 'the two shifts overlap, so they cannot be swapped',
  },
  'shift.swap_busy': {
    'zh-CN': '换班后有人将同时在两个时间重叠的班次上',
    en: 'after the swap someone would be on two overlapping shifts',
  },
  'shift.swap_started': {
    'zh-CN': '已开始的班次不能再换',
    en: 'a shift that has started cannot be swapped',
  },
  // Open311
  'issue.w3c_datetime': {
    'zh-CN': '应为带时区的 W3C 日期时间，如 2010-01-01T00:00:00Z',
    en: 'a W3C date and time with a timezone, e.g. 2010-01-01T00:00:00Z',
  },
  'issue.wgs84': { 'zh-CN': '应为 WGS84 经纬度数值', en: 'a number of WGS84 degrees' },
  'issue.lat_long_together': { 'zh-CN': 'lat 和 long 须同时提供', en: 'lat and long are sent together' },
  'issue.lat_long_required_here': {
    'zh-CN': '本辖区须提供 lat/long：暂不能按地址定位',
    en: 'lat/long required in this jurisdiction: addresses cannot be located here yet',
  },
  'issue.location_required': {
    'zh-CN': '须提供位置：lat 和 long',
    en: 'a location is required: lat and long',
  },
  'issue.one_value': { 'zh-CN': '只能有一个值', en: 'one value only' },
  'issue.media_url': {
    'zh-CN': '应为不超过 500 字符的 http 或 https 网址',
    en: 'an http or https URL of at most 500 characters',
  },
  'issue.description_length': {
    'zh-CN': '最多 {max} 字（含 media_url）',
    en: 'at most {max} characters, media_url included',
  },
  'issue.point_outside_jurisdiction': {
    'zh-CN': '该位置不在本辖区任何网格内',
    en: 'the point is outside every grid of this jurisdiction',
  },
  'issue.max_ids': { 'zh-CN': '最多 {max} 个编号', en: 'at most {max} ids' },
  'issue.not_request_id': {
    'zh-CN': '不是有效的 service_request_id：{ids}',
    en: 'not a service_request_id: {ids}',
  },
  'issue.open_or_closed': { 'zh-CN': '应为 open 或 closed', en: 'open or closed' },
  'issue.end_after_start': { 'zh-CN': '不早于 start_date', en: 'on or after start_date' },
  'issue.dates_90_days': {
    'zh-CN': 'start_date 与 end_date 最多相隔 90 天',
    en: 'start_date and end_date may be at most 90 days apart',
  },
  // Passage registration (joint defence)
  'passage.destination_one_of': {
    'zh-CN': '目的地只能填区内节点或区外地区之一',
    en: 'Give either a destination in the district or a region outside it, not both',
  },
  'passage.unknown_region': { 'zh-CN': '地区代码不存在', en: 'Unknown region code' },
  'passage.unknown_destination': {
    'zh-CN': '目的地节点不存在或已撤销',
    en: 'Unknown or retired destination node',
  },
  'passage.recall_token': {
    'zh-CN': '调取凭证无效或已过期，请重新输入证件号',
    en: 'The recall token is not valid; enter the ID number again',
  },
  'passage.registered_at': {
    'zh-CN': '登记时间最多可追溯一天，且不能晚于现在',
    en: 'The registration time may be at most a day back and not in the future',
  },
  // A questionnaire's answers and definition (common/questionnaire.ts)
  'issue.answer.required': { 'zh-CN': '此题必答', en: 'this question must be answered' },
  'issue.answer.yes_no': { 'zh-CN': '应为“是”或“否”', en: 'yes or no' },
  'issue.answer.option': { 'zh-CN': '应从选项中选择', en: 'one of the question’s options' },
  'issue.answer.number': { 'zh-CN': '应为数字', en: 'a number' },
  'issue.answer.range': { 'zh-CN': '应在 {min} 至 {max} 之间', en: 'between {min} and {max}' },
  'issue.answer.date': { 'zh-CN': '应为日期（年-月-日）', en: 'a date (YYYY-MM-DD)' },
  'issue.answer.text': { 'zh-CN': '应填写文字（不超过 500 字）', en: 'some text (at most 500 characters)' },
  'issue.answer.unknown_question': {
    'zh-CN': '问卷中没有此题',
    en: 'the questionnaire has no such question',
  },
  'issue.answer.not_shown': {
    'zh-CN': '根据前面的回答，此题不应作答',
    en: 'not asked, given the answers before it',
  },
  'issue.questionnaire.duplicate_key': { 'zh-CN': '编码重复', en: 'the key is used twice' },
  'issue.questionnaire.options': {
    'zh-CN': '选择题须有至少两个选项，其他题型不设选项',
    en: 'a choice needs two options or more; other types take none',
  },
  'issue.questionnaire.condition': {
    'zh-CN': '显示条件须引用前面的是否题或单选题及其选项',
    en: 'a condition must name an earlier yes/no or single-choice question and one of its answers',
  },
  'issue.questionnaire.bounds': { 'zh-CN': '最小值不能大于最大值', en: 'the minimum exceeds the maximum' },
  'issue.questionnaire.rule': {
    'zh-CN': '风险规则须引用问卷中的题目，且条件与题型相符',
    en: 'a risk rule must name a question of the questionnaire, with a test that fits its type',
  },
  // Psychological scales: a definition an administrator writes, and the answers a person gives
  'issue.scale.label_empty': {
    'zh-CN': '中文和英文文字都须填写',
    en: 'both the Chinese and the English text',
  },
  'issue.scale.options_count': {
    'zh-CN': '选项须有 2 至 {max} 个',
    en: 'between 2 and {max} options',
  },
  'issue.scale.option_duplicate': { 'zh-CN': '选项的分值不能重复', en: 'a value no other option has' },
  'issue.scale.item_duplicate': { 'zh-CN': '题目编号不能重复', en: 'a key no other item has' },
  'issue.scale.none_scored': { 'zh-CN': '至少有一题计分', en: 'at least one scored item' },
  'issue.scale.band_duplicate': { 'zh-CN': '分级代码不能重复', en: 'a code no other band has' },
  'issue.scale.band_gap': {
    'zh-CN': '分级须从 {from} 分接续，不留空档、不重叠',
    en: 'bands that follow on from {from} with no gap or overlap',
  },
  'issue.scale.band_end': {
    'zh-CN': '分级须覆盖到最高总分 {max}',
    en: 'bands that reach the highest total, {max}',
  },
  'issue.scale.crisis_unknown': {
    'zh-CN': '危机规则须引用量表中的题目及其可选分值，或已有的分级',
    en: 'a crisis rule must name an item and a value it can take, or one of the bands',
  },
  'issue.scale.answer_count': {
    'zh-CN': '应按顺序回答全部 {count} 题（未答为空）',
    en: 'answers to all {count} items in order (null where not answered)',
  },
  'issue.scale.unanswered': { 'zh-CN': '此题尚未作答', en: 'this item is not answered yet' },
  'issue.scale.answer_option': { 'zh-CN': '应从本题的选项中选择', en: 'one of the item’s options' },
} as const satisfies Record<string, Texts>;
