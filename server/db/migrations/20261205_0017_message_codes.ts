// Texts for people are stored as message codes with parameters and rendered when read, in the
// language asked (ADR 0010). Notifications gain the code and its parameters (the two text columns
// stay for rows written before); the sentences the system wrote into histories in both languages at
// once become the codes that say the same.
import { type Kysely } from 'kysely';

const EVENT_REASONS: [string, string][] = [
  ['超过签收 sign-for时限 签收 sign-for time limit passed', 'escalation.event.sign'],
  ['超过办理 handling时限 办理 handling time limit passed', 'escalation.event.handle'],
  ['超过核查 verification时限 核查 verification time limit passed', 'escalation.event.verify'],
  ['群众不满意 not satisfied', 'reason.not_satisfied'],
];
const DIRECTIVE_TEXTS: [string, string][] = [
  ['超过签收时限 · sign-for deadline passed', 'escalation.directive.sign'],
  ['超过反馈时限 · report-back deadline passed', 'escalation.directive.report'],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notifications').addColumn('message_code', 'text').execute();
  await db.schema.alterTable('notifications').addColumn('message_params', 'text').execute();
  for (const [from, to] of EVENT_REASONS)
    await db.updateTable('event_history').set({ reason: to }).where('reason', '=', from).execute();
  await db
    .updateTable('event_history')
    .set({ actor_label: 'actor.resident' })
    .where('actor_label', '=', '群众 resident')
    .execute();
  for (const [from, to] of DIRECTIVE_TEXTS)
    await db
      .updateTable('directive_history')
      .set({ text: to })
      .where('action', '=', 'escalate')
      .where('text', '=', from)
      .execute();
}
