// Accessibility: axe (WCAG 2.x A and AA rules) on the main pages of each role, as that role sees
// them, and on the resident's pages. A serious or critical violation fails the journey with the page,
// the rule and the element it found. Field roles are checked at phone size, the others on a desktop.
import { AxeBuilder } from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadActor } from '../server/platform/auth.js';
import { settled, snap, startJourney, type Journey } from './harness.js';

let j: Journey;
beforeAll(async () => {
  j = await startJourney();
});
afterAll(async () => j?.close());

interface Check {
  /** What the failure message calls it. */
  name: string;
  path: string;
  /** The page's content is there: axe looks at the page as a person would. */
  ready: (page: Page) => Locator;
  /** A state of the page to check besides the first (a dialog opened, say). */
  open?: (page: Page) => Promise<void>;
}

/** Serious and critical violations of the page as it stands, one line each. */
async function violations(page: Page, name: string): Promise<string[]> {
  await settled(page);
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map((n) => `${name}: ${v.id} (${v.impact}) at ${n.target.join(' ')} — ${v.help}`),
    );
}

async function check(user: string | null, checks: Check[], size?: { width: number; height: number }) {
  const { page, context } = await j.newPage(size);
  const found: string[] = [];
  try {
    if (user) await j.login(page, user);
    for (const c of checks) {
      await page.goto(c.path);
      await c.ready(page).first().waitFor();
      found.push(...(await violations(page, `${user ?? 'resident'} ${c.name}`)));
      if (c.open) {
        await c.open(page);
        found.push(...(await violations(page, `${user ?? 'resident'} ${c.name} (dialog)`)));
      }
    }
    if (found.length > 0) await snap(page, `a11y-${user ?? 'resident'}`);
  } finally {
    await context.close();
  }
  expect(found, found.join('\n')).toEqual([]);
}

const PHONE = { width: 390, height: 844 };

describe('accessibility (axe) on each role’s main pages', { timeout: 300_000 }, () => {
  it('the resident’s pages: report, track, sign in, apply for mediation', async () => {
    const db = j.boot.database.db;
    const ev = await db
      .selectFrom('events')
      .select('tracking_code')
      .where('tracking_code', 'is not', null)
      .executeTakeFirstOrThrow();
    await check(
      null,
      [
        { name: '/report', path: '/report', ready: (p) => p.getByTestId('public-map') },
        { name: '/track', path: '/track', ready: (p) => p.getByRole('searchbox') },
        {
          name: '/track/<code>',
          path: `/track/${ev.tracking_code}`,
          ready: (p) => p.getByTestId('track-result'),
        },
        { name: '/login', path: '/login', ready: (p) => p.getByRole('button', { name: '登录' }) },
        { name: '/mediate', path: '/mediate', ready: (p) => p.getByTestId('apply-form') },
      ],
      PHONE,
    );
  });

  it('the administrator: users (and the new-user dialog), roles, audit, tree', async () => {
    await check('admin', [
      {
        name: '/users',
        path: '/users',
        ready: (p) => p.getByRole('cell', { name: 'gridworker' }),
        open: async (p) => {
          await p.getByRole('button', { name: '新建用户' }).click();
          await p.getByRole('dialog').getByLabel('用户名').waitFor();
        },
      },
      { name: '/roles', path: '/roles', ready: (p) => p.getByRole('cell', { name: '网格员' }) },
      { name: '/audit', path: '/audit', ready: (p) => p.getByTestId('audit-action') },
      { name: '/tree', path: '/tree', ready: (p) => p.getByTestId('node-name') },
    ]);
  });

  it('the district commander: cockpit, command, a directive, reports', async () => {
    const db = j.boot.database.db;
    const directive = await db.selectFrom('directives').select('id').orderBy('id').executeTakeFirstOrThrow();
    const report = await db
      .selectFrom('report_templates')
      .select('id')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await check('commander', [
      { name: '/cockpit', path: '/cockpit', ready: (p) => p.getByTestId('fig-events-open') },
      { name: '/command', path: '/command', ready: (p) => p.getByRole('link', { name: /.+/ }).nth(3) },
      {
        name: '/directives/<id>',
        path: `/directives/${directive.id}`,
        ready: (p) => p.getByTestId('board-cascade'),
      },
      { name: '/reports', path: '/reports', ready: (p) => p.getByTestId(`report-open-${report.id}`) },
      {
        name: '/reports/<id>',
        path: `/reports/${report.id}`,
        ready: (p) => p.getByTestId('report-history-chart').locator('canvas'),
      },
    ]);
  });

  it('the street’s commander: command, a directive to relay', async () => {
    const db = j.boot.database.db;
    const directive = await db.selectFrom('directives').select('id').orderBy('id').executeTakeFirstOrThrow();
    await check('towncmd', [
      { name: '/command', path: '/command', ready: (p) => p.getByTestId('directives') },
      {
        name: '/directives/<id>',
        path: `/directives/${directive.id}`,
        ready: (p) => p.getByTestId('board-cascade'),
      },
    ]);
  });

  it('the village cadre: events, people, notices', async () => {
    await check('cadre', [
      { name: '/events', path: '/events', ready: (p) => p.getByTestId('events-table') },
      {
        name: '/people',
        path: '/people',
        ready: (p) => p.getByTestId('people-table').getByRole('row').nth(1),
      },
      {
        name: '/notices',
        path: '/notices',
        ready: (p) => p.getByTestId('notices-table').getByRole('row').nth(1),
      },
    ]);
  });

  it('the grid worker on a phone: tasks, events, an event, a notice, home observation, the sweep list', async () => {
    const db = j.boot.database.db;
    const grid = await db
      .selectFrom('role_assignments as a')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .select('a.node_id')
      .where('u.username', '=', 'gridworker')
      .executeTakeFirstOrThrow();
    // A resident's report from the grid, as the public form sends it: a case the grid worker can open.
    const category = await db
      .selectFrom('event_categories')
      .select('id')
      .where('code', '=', 'environment.garbage')
      .executeTakeFirstOrThrow();
    const filed = await j.app.inject({
      method: 'POST',
      url: '/api/public/events',
      payload: { categoryId: category.id, description: '楼道堆放杂物', nodeId: grid.node_id },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const ev = await db
      .selectFrom('events')
      .select('id')
      .where('tracking_code', '=', filed.json<{ trackingCode: string }>().trackingCode)
      .executeTakeFirstOrThrow();
    const notice = await db.selectFrom('notices').select('id').orderBy('id').executeTakeFirstOrThrow();
    const sweep = await db.selectFrom('sweeps').select('id').orderBy('id').executeTakeFirstOrThrow();
    // An order of home observation in the grid, in observation: its page carries the follow-up form.
    const order = await db
      .selectFrom('observation_orders')
      .select('id')
      .where('node_id', '=', grid.node_id)
      .where('status', '=', 'active')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await check(
      'gridworker',
      [
        { name: '/tasks', path: '/tasks', ready: (p) => p.getByRole('heading', { name: '我的待办' }) },
        { name: '/events', path: '/events', ready: (p) => p.getByTestId('events-table') },
        { name: '/events/<id>', path: `/events/${ev.id}`, ready: (p) => p.getByTestId('event-timeline') },
        {
          name: '/notices/<id>',
          path: `/notices/${notice.id}`,
          ready: (p) => p.getByTestId('notice-households').getByRole('row').nth(1),
        },
        { name: '/observations', path: '/observations', ready: (p) => p.getByTestId('observation-figures') },
        {
          name: '/observations/<id>',
          path: `/observations/${order.id}`,
          ready: (p) => p.getByTestId('follow-ups'),
        },
        {
          name: '/sweeps',
          path: '/sweeps',
          ready: (p) => p.getByTestId('sweeps').locator('.ant-card').first(),
        },
        {
          name: '/sweeps/<id>/list',
          path: `/sweeps/${sweep.id}/list?node=${grid.node_id}`,
          ready: (p) => p.getByTestId('grid-list'),
        },
      ],
      PHONE,
    );
  });

  it('the seconded cadre on a phone: the sweeps, the paired grid’s list and the visit form', async () => {
    const db = j.boot.database.db;
    const sweep = await db.selectFrom('sweeps').select('id').orderBy('id').executeTakeFirstOrThrow();
    await check(
      'seconded',
      [
        {
          name: '/sweeps',
          path: '/sweeps',
          ready: (p) => p.locator('[data-testid^="sweep-mylist-"]').first(),
        },
        {
          name: '/sweeps/<id>/list (visit form)',
          path: `/sweeps/${sweep.id}/list`,
          ready: (p) => p.locator('[data-testid^="visit-"]:not([data-testid^="visit-form"])').first(),
          open: async (p) => {
            await p.locator('[data-testid^="visit-"]').first().click();
            await p.getByTestId('questionnaire').waitFor();
          },
        },
      ],
      PHONE,
    );
  });

  it('the town commander: a sweep’s progress with its villages and laggard grids', async () => {
    const db = j.boot.database.db;
    const sweep = await db.selectFrom('sweeps').select('id').orderBy('id').executeTakeFirstOrThrow();
    await check('towncmd', [
      { name: '/sweeps/<id>', path: `/sweeps/${sweep.id}`, ready: (p) => p.getByTestId('sweep-laggards') },
    ]);
  });

  it('the volunteer on a phone: tasks with the follow-ups of those they care for, their volunteering page', async () => {
    await check(
      'volunteer',
      [
        {
          name: '/tasks',
          path: '/tasks',
          ready: (p) => p.getByTestId('observation-tasks').locator('li').first(),
        },
        {
          name: '/volunteer',
          path: '/volunteer',
          ready: (p) => p.getByTestId('callouts-near').locator('li').first(),
        },
      ],
      PHONE,
    );
  });

  it('the volunteer coordinator: joint services (and the invitation dialog), the care roster, the hours', async () => {
    await check('volcoord', [
      {
        name: '/services',
        path: '/services',
        ready: (p) => p.getByTestId('volunteers'),
        open: async (p) => {
          await p.getByTestId('volunteer-invite').click();
          await p.getByRole('dialog').getByTestId('invitation-form').waitFor();
        },
      },
      { name: '/care/roster', path: '/care/roster', ready: (p) => p.getByTestId('care-roster') },
      { name: '/services/hours', path: '/services/hours', ready: (p) => p.getByTestId('hours-ranking') },
    ]);
  });

  it('the counsellor on a phone: psychological care (and the send dialog), a case; the person’s scale page', async () => {
    const db = j.boot.database.db;
    const c = await db
      .selectFrom('care_cases')
      .select('id')
      .where('status', '=', 'open')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await check(
      'counsellor',
      [
        {
          name: '/care',
          path: '/care',
          ready: (p) => p.getByTestId('care-alerts').locator('li').first(),
          open: async (p) => {
            await p.getByRole('button', { name: '发送测量表' }).first().click();
            await p.getByRole('dialog').waitFor();
          },
        },
        { name: '/care/cases/<id>', path: `/care/cases/${c.id}`, ready: (p) => p.getByTestId('care-case') },
      ],
      PHONE,
    );
    // A fresh link to a person in home observation, sent as the demo counsellor would.
    const counsellor = await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'counsellor')
      .executeTakeFirstOrThrow();
    const person = await db
      .selectFrom('observation_orders')
      .select('person_id')
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    const actor = await loadActor(db, counsellor.id, 'session');
    const link = await j.app.linliCare.sendLink({ actor, requestId: 'a11y' }, 'PHQ-9', {
      personId: person.person_id,
    });
    await check(
      null,
      [{ name: '/s/<token>', path: link.url, ready: (p) => p.getByRole('button', { name: '提交问卷' }) }],
      PHONE,
    );
  });

  it('the resident’s joint services pages: joining through an invitation, asking for help', async () => {
    // An invitation made by the coordinator, as the page would.
    const { page, context } = await j.newPage();
    let token: string;
    try {
      await j.login(page, 'volcoord');
      const csrf = (await context.cookies()).find((c) => c.name === 'csrf')!.value;
      token = await page.evaluate(async (csrf) => {
        const me = (await (await fetch('/api/auth/me')).json()) as {
          assignments: { node: { id: number } }[];
        };
        const r = await fetch('/api/services/invitations', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify({ nodeId: me.assignments[0]!.node.id }),
        });
        return ((await r.json()) as { token: string }).token;
      }, csrf);
    } finally {
      await context.close();
    }
    await check(
      null,
      [
        { name: '/join/<token>', path: `/join/${token}`, ready: (p) => p.getByTestId('join-form') },
        { name: '/help', path: '/help', ready: (p) => p.getByTestId('help-form') },
      ],
      PHONE,
    );
  });

  it('the mediator: cases, a case being signed, and one being mediated (and its scheduling dialog)', async () => {
    const db = j.boot.database.db;
    // The demo's cases in 金秀英's hands: one waiting for signatures, one with a session today.
    const caseIn = (status: 'signing' | 'mediating') =>
      db
        .selectFrom('mediation_cases')
        .select('id')
        .where('status', '=', status)
        .where('caucus', '=', 0)
        .orderBy('id')
        .executeTakeFirstOrThrow();
    const signing = await caseIn('signing');
    const mediating = await caseIn('mediating');
    await check('mediator', [
      {
        name: '/mediation',
        path: '/mediation',
        ready: (p) => p.getByTestId('mediation-cases').locator('[data-testid^="case-row-"]'),
      },
      {
        name: '/mediation/cases/<id> (signing)',
        path: `/mediation/cases/${signing.id}`,
        ready: (p) => p.getByTestId('assisted-sign'),
      },
      {
        name: '/mediation/cases/<id> (mediating)',
        path: `/mediation/cases/${mediating.id}`,
        ready: (p) => p.getByTestId('agreement-form'),
        open: async (p) => {
          await p.getByTestId('schedule-open').click();
          await p.getByRole('dialog', { name: '安排调解' }).getByTestId('session-starts').waitFor();
        },
      },
    ]);
  });

  it('the judge: applications for confirmation with today’s hearings (and the booking dialog)', async () => {
    await check('judge', [
      {
        name: '/confirmations',
        path: '/confirmations',
        ready: (p) => p.getByTestId('confirmations').locator('[data-testid^="accept-"]'),
        open: async (p) => {
          await p.getByTestId('book-open').click();
          await p.getByRole('dialog', { name: '预约云庭审' }).getByTestId('book-title').waitFor();
        },
      },
    ]);
  });

  it('the invited mediator on a phone: the day’s hearings at their point, attendance to record', async () => {
    await check(
      'invited',
      [
        {
          name: '/hearings',
          path: '/hearings',
          ready: (p) => p.getByTestId('hearings').locator('[data-testid^="attendance-"]'),
        },
      ],
      PHONE,
    );
  });

  it('the department handler on a phone: tasks', async () => {
    await check(
      'handler',
      [{ name: '/tasks', path: '/tasks', ready: (p) => p.getByRole('heading', { name: '我的待办' }) }],
      PHONE,
    );
  });
});
