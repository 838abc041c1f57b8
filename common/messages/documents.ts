// Texts of the documents the server prints for people (the people's mediation agreement): headings,
// labels, fixed clauses and footers, one language each. Names, facts and terms are data, passed in as
// parameters.
import type { Texts } from './index.js';

export const documentMessages = {
  // Shared by every printed document
  'doc.creator': { 'zh-CN': '邻里基层社会治理平台', en: 'Linli grassroots social-governance platform' },
  'doc.footer.number': { 'zh-CN': '编号：{number}', en: 'No. {number}' },
  // The algorithm is a parameter: its Latin name is not a word of either language.
  'doc.footer.content_hash': { 'zh-CN': '内容{algorithm}：{hash}', en: 'Content {algorithm}: {hash}' },
  'doc.footer.page': { 'zh-CN': '第 {page} 页 / 共 {pages} 页', en: 'Page {page} of {pages}' },
  'doc.date': { 'zh-CN': '{year}年{month}月{day}日', en: '{year}-{month}-{day}' },
  // The people's mediation agreement (People's Mediation Law, art. 28–33)
  'doc.agreement.title': { 'zh-CN': '人民调解协议书', en: 'People’s mediation agreement' },
  'doc.agreement.pdf_title': {
    'zh-CN': '人民调解协议书 {number}',
    en: 'People’s mediation agreement {number}',
  },
  'doc.agreement.pdf_subject': {
    'zh-CN': '经{organisation}调解达成的协议',
    en: 'Agreement reached through mediation by {organisation}',
  },
  'doc.agreement.section.parties': { 'zh-CN': '当事人', en: 'Parties' },
  'doc.agreement.section.facts': { 'zh-CN': '纠纷事实', en: 'Facts of the dispute' },
  'doc.agreement.section.disputed_points': { 'zh-CN': '争议事项', en: 'Points in dispute' },
  'doc.agreement.section.terms': { 'zh-CN': '协议内容', en: 'Terms agreed' },
  'doc.agreement.section.other_terms': { 'zh-CN': '其他约定', en: 'Other terms' },
  'doc.agreement.section.effect': { 'zh-CN': '协议效力', en: 'Effect' },
  'doc.agreement.section.signatures': {
    'zh-CN': '当事人签名（盖章或按指印）',
    en: 'Parties’ signatures (or seals or fingerprints)',
  },
  'doc.agreement.party.applicant': { 'zh-CN': '申请人', en: 'Applicant' },
  'doc.agreement.party.respondent': { 'zh-CN': '被申请人', en: 'Respondent' },
  'doc.agreement.party.kind.person': { 'zh-CN': '自然人', en: 'natural person' },
  'doc.agreement.party.kind.org': { 'zh-CN': '法人或其他组织', en: 'legal person or other organisation' },
  'doc.agreement.party.line': { 'zh-CN': '{role}：{name}（{kind}）', en: '{role}: {name} ({kind})' },
  // The optional pieces of a party's line carry their own leading separator.
  'doc.agreement.party.id_person': { 'zh-CN': '，公民身份号码：{idNumber}', en: ', ID number: {idNumber}' },
  'doc.agreement.party.id_org': {
    'zh-CN': '，统一社会信用代码：{idNumber}',
    en: ', unified social credit code: {idNumber}',
  },
  'doc.agreement.party.agent': { 'zh-CN': '，委托代理人：{agent}', en: ', agent: {agent}' },
  'doc.agreement.intro': {
    'zh-CN': '经调解，当事人自愿达成如下协议：',
    en: 'Through mediation, the parties have voluntarily agreed as follows:',
  },
  // An obligation: who, what, how much, how and by when (art. 29); the optional pieces as above.
  'doc.agreement.obligation.item': {
    'zh-CN': '{index}. 义务人：{party}；履行事项：{what}',
    en: '{index}. Obliged party: {party}; to do: {what}',
  },
  'doc.agreement.obligation.amount': { 'zh-CN': '；金额：人民币{amount}元', en: '; amount: {amount} yuan' },
  'doc.agreement.obligation.manner': { 'zh-CN': '；履行方式：{manner}', en: '; manner: {manner}' },
  'doc.agreement.obligation.deadline': { 'zh-CN': '；履行期限：{deadline}。', en: '; deadline: {deadline}.' },
  'doc.agreement.effect': {
    'zh-CN':
      '本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效，对当事人具有法律约束力，当事人应当按照约定履行。当事人认为有必要的，可以自本协议生效之日起三十日内共同向人民法院申请司法确认。',
    en: 'This agreement takes effect on the day every party has signed, sealed or fingerprinted it and the people’s mediator has signed it under the seal of the people’s mediation committee. It binds the parties, who shall perform it as agreed. Where they consider it necessary, the parties may jointly apply to a people’s court for judicial confirmation within 30 days of its taking effect.',
  },
  'doc.agreement.signature.party': { 'zh-CN': '{role}：{name}', en: '{role}: {name}' },
  'doc.agreement.signature.mediator': { 'zh-CN': '人民调解员：{name}', en: 'People’s mediator: {name}' },
  'doc.agreement.signature.mediator_line': { 'zh-CN': '签名：', en: 'Signature:' },
  'doc.agreement.seal': { 'zh-CN': '{organisation}（印章）', en: '{organisation} (seal)' },
  // The volunteer's service certificate (志愿服务证明)
  'doc.certificate.title': { 'zh-CN': '志愿服务证明', en: 'Certificate of volunteer service' },
  'doc.certificate.serial': { 'zh-CN': '编号：{serial}', en: 'No. {serial}' },
  'doc.certificate.body': {
    'zh-CN': '兹证明{name}同志热心公益，积极参加志愿服务，累计志愿服务时长 {hours} 小时。',
    en: 'This certifies that {name} has served as a volunteer for {hours} hours in all.',
  },
  'doc.certificate.body_org': {
    'zh-CN': '兹证明{org}志愿者{name}同志热心公益，积极参加志愿服务，累计志愿服务时长 {hours} 小时。',
    en: 'This certifies that {name}, a volunteer of {org}, has served as a volunteer for {hours} hours in all.',
  },
  'doc.certificate.year': { 'zh-CN': '{year} 年：{hours} 小时', en: '{year}: {hours} hours' },
  'doc.certificate.thanks': { 'zh-CN': '特发此证，以资鼓励。', en: 'Issued in recognition of this service.' },
  'doc.certificate.date': { 'zh-CN': '{year} 年 {month} 月 {day} 日', en: '{day}/{month}/{year}' },
  // The hours workbook
  'services.hours.sheet': { 'zh-CN': '志愿服务时长', en: 'Volunteer hours' },
  'services.hours.col.rank': { 'zh-CN': '名次', en: 'Rank' },
  'services.hours.col.name': { 'zh-CN': '姓名', en: 'Name' },
  'services.hours.col.org_name': { 'zh-CN': '组织', en: 'Organisation' },
  'services.hours.col.org': { 'zh-CN': '所属组织', en: 'Organisation' },
  'services.hours.col.hours': { 'zh-CN': '时长（小时）', en: 'Hours' },
} as const satisfies Record<string, Texts>;
