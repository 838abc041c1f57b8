// The demo's daily epidemic report, seeded into a fresh demo district and read back through the app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryResponse, ReportTemplate, SummaryResponse } from '../../common/contracts/reports.js';
import { localDate } from '../../common/worktime.js';
import { buildApp } from '../app.js';
import type { DatabaseHandle } from '../db/index.js';
import { Client, createTestDatabase, TEST_PII, testConfig } from '../test/harness.js';
import { seedDemo } from './index.js';
import { DEMO_REPORT_TITLE } from './reports-seed.js';

const PASSWORD = 'demo-password-for-tests';
let database: DatabaseHandle;
let app: Awaited<ReturnType<typeof buildApp>>;
let commander: Client;

beforeAll(async () => {
  database = await createTestDatabase();
  // The tree and the accounts only (no residents, no events): the report needs no more.
  await seedDemo(database.db, { scale: 'small', password: PASSWORD });
  app = await buildApp(testConfig(), { database, pii: TEST_PII });
  commander = new Client(app);
  expect(
    (await commander.post('/api/auth/login', { username: 'commander', password: PASSWORD })).status,
  ).toBe(200);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('demo daily report', () => {
  it('two weeks of a village report with a few late and a few missing, today included', async () => {
    const list = await commander.get<{ items: ReportTemplate[] }>('/api/report-templates');
    const tpl = list.body.items.find((i) => i.title === DEMO_REPORT_TITLE)!;
    // Filed under the demo's epidemic-response command.
    const command = await database.db.selectFrom('incident_commands').select('id').executeTakeFirstOrThrow();
    expect(tpl).toMatchObject({ targetLevel: 'village', dueTime: '17:00', commandId: command.id });
    const today = localDate(new Date().toISOString());
    const summary = await commander.get<SummaryResponse>(`/api/report-templates/${tpl.id}/summary`);
    expect(summary.status).toBe(200);
    expect(summary.body.day).toBe(today);
    expect(summary.body.missing.length).toBeGreaterThan(0);
    expect(summary.body.submitted).toBeGreaterThan(summary.body.expected / 2);
    expect(summary.body.values.screened).toBeGreaterThan(0);
    const from = localDate(new Date(Date.now() - 13 * 86_400_000).toISOString());
    const history = await commander.get<HistoryResponse>(
      `/api/report-templates/${tpl.id}/history?from=${from}&to=${today}`,
    );
    expect(history.body.days).toHaveLength(14);
    expect(history.body.days.every((d) => d.submitted > 0 && d.submitted <= d.expected)).toBe(true);
    expect(history.body.days.filter((d) => d.submitted < d.expected).length).toBeGreaterThan(3);
    expect(history.body.days.reduce((s, d) => s + d.late, 0)).toBeGreaterThan(0);
    // The demo cadre's village reported every day.
    const cadre = new Client(app);
    await cadre.post('/api/auth/login', { username: 'cadre', password: PASSWORD });
    const mine = await cadre.get<HistoryResponse>(
      `/api/report-templates/${tpl.id}/history?from=${from}&to=${today}`,
    );
    expect(mine.body.days.map((d) => d.submitted)).toEqual(Array(14).fill(1));
  });
});
