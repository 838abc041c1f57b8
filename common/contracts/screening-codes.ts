// Screening sweeps' constants (摸排), without zod: the web's phone pages import them from here and so
// do not carry the schema library; screening.ts exports them too.

/** The kinds of question a questionnaire may ask. A region is a place's name or code as said. */
export const QUESTION_TYPES = ['yes_no', 'single', 'multiple', 'number', 'date', 'text', 'region'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
/** How an answer set is classified by the questionnaire's risk rules (low when no rule matches). */
export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
/** What a risk rule's condition tests of one answer. */
export const RULE_OPS = ['eq', 'includes', 'gte', 'lte'] as const;
export type RuleOp = (typeof RULE_OPS)[number];

/**
 * Whom a sweep visits: floating residents of its subtree, arrivals since a date, people with a tag,
 * or the people a workbook lists by ID number.
 */
export const POPULATION_KINDS = ['floating', 'arrivals', 'tag', 'list'] as const;
/** A sweep list workbook's one column, and the other names officials give it. */
export const SWEEP_LIST_COLUMNS = ['身份证号'] as const;
export const SWEEP_LIST_ALIASES: Readonly<Record<string, '身份证号'>> = {
  身份证: '身份证号',
  身份证号码: '身份证号',
  公民身份号码: '身份证号',
  证件号码: '身份证号',
  idnumber: '身份证号',
};
export type PopulationKind = (typeof POPULATION_KINDS)[number];
export const SWEEP_STATUSES = ['open', 'closed'] as const;
export type SweepStatus = (typeof SWEEP_STATUSES)[number];
/**
 * What a visit found: answers given, nobody at home (the target stays on the list for another
 * visit), moved away, refused. All but not_home finish the target.
 */
export const VISIT_OUTCOMES = ['answered', 'not_home', 'moved', 'refused'] as const;
export type VisitOutcome = (typeof VISIT_OUTCOMES)[number];
/** A target's state on the list: pending until a visit finished it. */
export const TARGET_STATUSES = ['pending', 'not_home', 'answered', 'moved', 'refused'] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];
export const finishes = (o: VisitOutcome) => o !== 'not_home';

/** Questions in one questionnaire, options of one question, conditions of one rule. */
export const QUESTIONNAIRE_LIMITS = {
  questions: 50,
  options: 30,
  rules: 20,
  conditions: 10,
  textChars: 500,
  labelChars: 200,
} as const;
/** Targets of one sweep: a district's floating population and more. */
export const SWEEP_MAX_TARGETS = 500_000;
/** Seconded cadres paired to one grid in one sweep. */
export const SWEEP_MAX_HELPERS_PER_GRID = 10;
