// Joint services on a 390 × 844 phone (issue 18, 社区呼叫，党员报到): the street's volunteer coordinator
// sets up an organisation and makes an invitation link; a resident signs up through it without signing
// in, choosing their grid by name; the village cadre turns their checkpoint's unrostered shift, starting
// within the hour, into a call-out in one step; the new volunteer signs up in one tap (and is on the
// shift), checks in on site (the phone's position sent), and checks out three hours later (the
// server's clock moved); the hours show on their record, on their organisation's total and in the
// street's ranking, and the certificate PDF they download carries them.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { idCheckChar } from '../common/validators.js';
import { apiFromPage, choose, placeOf, settled, snap, startJourney, type Journey } from './harness.js';

/** How far the server's clock runs ahead of the real one: the journey moves it to check out later. */
let offsetMs = 0;
let j: Journey;
beforeAll(async () => {
  j = await startJourney({ clock: () => new Date(Date.now() + offsetMs).toISOString() });
});
afterAll(async () => {
  await j?.close();
});

const PHONE = { width: 390, height: 844 };
const HOUR = 3_600_000;

/** A valid resident ID number (临安区's region code) from a birth date and a sequence. */
function idNumber(birth: string, seq: string): string {
  const first17 = `330112${birth}${seq}`;
  return first17 + idCheckChar(first17);
}

/** An instant as a `datetime-local` value in Shanghai (YYYY-MM-DDTHH:mm), whatever the machine's zone. */
const shanghaiLocal = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 16);

/** The text of a PDF by poppler's pdftotext. */
function pdfText(file: string): string {
  try {
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error(
        'pdftotext was not found: the services journey reads the certificate with it. Install poppler-utils.',
        { cause: e },
      );
    throw e;
  }
}

/** Submits the open dialog by its OK button and waits until it has closed. */
async function submitDialog(page: Page, okTestId: string) {
  const dialog = page.getByRole('dialog');
  await page.getByTestId(okTestId).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** No sideways scroll on the page. */
async function fitsWidth(page: Page) {
  const [scroll, inner] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    window.innerWidth,
  ]);
  expect(scroll).toBeLessThanOrEqual(inner);
}

/** Controls of the open dialog smaller than a finger (44 × 44 px): buttons, selects, fields, ticks. */
async function smallInDialog(page: Page): Promise<string[]> {
  return page
    .locator('.ant-modal')
    .locator('.ant-btn, .ant-modal-close, .ant-select, .ant-input, .ant-checkbox-wrapper')
    .evaluateAll((els) =>
      els.flatMap((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && (r.width < 43.5 || r.height < 43.5)
          ? [
              `${(el.getAttribute('class') ?? '').split(' ')[0]} "${(el.textContent ?? '').trim()}" ${Math.round(r.width)}×${Math.round(r.height)}`,
            ]
          : [];
      }),
    );
}

const ORG = '锦城街道青年志愿服务队';
const JOINER = { name: '陈思远', id: idNumber('19881231', '777'), phone: '13912345678' };
const JOINER_LOGIN = { username: 'chensiyuan', password: 'Volunteer-2026!' };

describe('joint services on a phone', () => {
  it('an invitation, a call-out for guard duty, one-tap sign-up, check-in and out, the hours on the record, the organisation and the certificate', async () => {
    const { db } = j.boot.database;
    // The grid the new volunteer lives in: the demo grid worker's, under the cadre's village.
    const grid = await placeOf(j, 'gridworker');

    // ---- The coordinator: an organisation, then an invitation link for it.
    const coord = await j.newPage(PHONE);
    // What each step makes and the next one uses.
    const made = { link: '', orgId: 0, calloutId: 0, shiftId: 0 };
    try {
      await j.login(coord.page, 'volcoord');
      await coord.page.waitForURL('**/services');
      await coord.page.getByTestId('org-new').click();
      await coord.page.getByTestId('org-name').fill(ORG);
      await submitDialog(coord.page, 'org-save');
      const orgRow = coord.page.locator('[data-testid^="org-"]', { hasText: ORG });
      await orgRow.first().waitFor();
      made.orgId = Number((await orgRow.first().getAttribute('data-testid'))!.replace('org-', ''));
      expect(made.orgId).toBeGreaterThan(0);
      await coord.page.getByTestId('volunteer-invite').click();
      await choose(coord.page.getByRole('combobox', { name: '志愿组织' }), ORG);
      await coord.page.getByTestId('invitation-make').click();
      const shown = coord.page.getByTestId('invitation-link');
      await shown.waitFor();
      made.link = (await shown.innerText()).trim();
      expect(made.link).toMatch(/\/join\/[A-Za-z0-9_-]{43}$/);
      await fitsWidth(coord.page);
      await snap(coord.page, 'services-invitation');
    } catch (e) {
      await snap(coord.page, 'services-coordinator-failed');
      throw e;
    } finally {
      await coord.context.close();
    }

    // ---- A resident signs up through the link, without signing in.
    const joiner = await j.newPage(PHONE);
    try {
      await joiner.page.goto(new URL(made.link).pathname);
      await joiner.page.getByTestId('join-form').waitFor();
      await joiner.page.getByText(`欢迎加入锦城街道的志愿服务队伍（${ORG}）。`).waitFor();
      await joiner.page.getByTestId('join-name').fill(JOINER.name);
      await joiner.page.getByTestId('join-id').fill(JOINER.id);
      await joiner.page.getByTestId('join-phone').fill(JOINER.phone);
      await joiner.page.getByLabel('按镇街、村或社区名称查找').fill(grid.name);
      await joiner.page
        .getByRole('listitem')
        .getByRole('button', { name: new RegExp(`^${grid.name}`) })
        .first()
        .click();
      await joiner.page
        .getByTestId('join-place')
        .getByText(new RegExp(`锦城街道 › .* › ${grid.name}`))
        .waitFor();
      await joiner.page.getByTestId('join-username').fill(JOINER_LOGIN.username);
      await joiner.page.getByTestId('join-password').fill(JOINER_LOGIN.password);
      await joiner.page.getByTestId('join-party').check();
      await joiner.page.getByTestId('join-skills').getByText('值守', { exact: true }).click();
      await joiner.page.getByTestId('join-consent').check();
      await fitsWidth(joiner.page);
      await joiner.page.getByTestId('join-submit').click();
      await joiner.page.getByTestId('join-done').getByText(JOINER_LOGIN.username).waitFor();
      await snap(joiner.page, 'services-joined');
    } catch (e) {
      await snap(joiner.page, 'services-join-failed');
      throw e;
    } finally {
      await joiner.context.close();
    }
    const { orgId } = made;
    const volunteer = await db
      .selectFrom('volunteers')
      .select(['id', 'org_id', 'home_node_id', 'party_member', 'user_id', 'joined_via'])
      .where('name', '=', JOINER.name)
      .executeTakeFirstOrThrow();
    expect(volunteer).toMatchObject({
      org_id: orgId,
      home_node_id: grid.id,
      party_member: 1,
      joined_via: 'invitation',
    });
    expect(volunteer.user_id).not.toBeNull();

    // ---- The village cadre's checkpoint has a shift starting within the hour that nobody is rostered
    // for; the cadre turns it into a call-out in one step, from the services page.
    const cadre = await j.newPage(PHONE);
    const startsAt = Math.ceil((Date.now() + 30 * 60_000) / 60_000) * 60_000;
    const village = await placeOf(j, 'cadre');
    try {
      await j.login(cadre.page, 'cadre');
      // The checkpoint and its shift, set up as the cadre would on the defence pages (by the API).
      const local = shanghaiLocal(startsAt);
      const call = async <T>(method: string, url: string, body?: unknown) =>
        (await apiFromPage<T>(cadre.page, method, url, body)).body;
      const cp = await call<{ id: number }>('POST', '/api/checkpoints', {
        name: '村口卡口',
        type: 'village_entrance',
        nodeId: village.id,
        lat: 30.2331,
        lng: 119.7244,
        status: 'open',
        staffPerShift: 2,
      });
      const day = local.slice(0, 10);
      await call('PUT', `/api/checkpoints/${cp.id}/pattern`, {
        pattern: { kind: 'custom', slots: [{ start: local.slice(11, 16), minutes: 120, required: 2 }] },
      });
      await call('POST', `/api/checkpoints/${cp.id}/shifts/generate`, { from: day, to: day });
      const now = Date.now();
      const { items } = await call<{ items: { id: number }[] }>(
        'GET',
        `/api/rosters/coverage?checkpointId=${cp.id}&from=${encodeURIComponent(new Date(now).toISOString())}&to=${encodeURIComponent(new Date(now + 86_400_000).toISOString())}`,
      );
      expect(items).toHaveLength(1);
      made.shiftId = items[0]!.id;
      await cadre.page.goto('/services');
      await cadre.page.getByTestId('callout-from-shift').click();
      const dialog = cadre.page.getByRole('dialog');
      // The shift short of its two people, by checkpoint and time.
      await choose(dialog.getByRole('combobox', { name: '班次' }), /村口卡口 .* 缺 2 人/);
      await fitsWidth(cadre.page);
      await submitDialog(cadre.page, 'from-shift-post');
      await cadre.page.waitForURL(/\/callouts\/\d+$/);
      made.calloutId = Number(new URL(cadre.page.url()).pathname.split('/').pop());
      await cadre.page.getByTestId('callout-filled').getByText('已报 0/2').waitFor();
      await fitsWidth(cadre.page);
      await snap(cadre.page, 'services-callout-posted');
    } catch (e) {
      await snap(cadre.page, 'services-cadre-failed');
      throw e;
    }
    // The call-out is the shift's: its time, its checkpoint, guard duty.
    expect(
      await db
        .selectFrom('callouts')
        .select(['shift_id', 'title', 'capacity', 'starts_at', 'skills'])
        .where('id', '=', made.calloutId)
        .executeTakeFirstOrThrow(),
    ).toEqual({
      shift_id: made.shiftId,
      title: '村口卡口',
      capacity: 2,
      starts_at: new Date(startsAt).toISOString(),
      skills: JSON.stringify(['guard_duty']),
    });

    const { calloutId } = made;
    // ---- The volunteer, on their own phone: one tap to sign up, check in on site, check out later.
    const vol = await j.newPage(PHONE);
    const { page } = vol;
    try {
      await vol.context.grantPermissions(['geolocation'], { origin: j.baseUrl });
      await vol.context.setGeolocation({ latitude: 30.2332, longitude: 119.7246 });
      await j.login(page, JOINER_LOGIN.username, JOINER_LOGIN.password);
      await page.waitForURL('**/volunteer');
      await page.getByTestId('my-record').getByText(ORG, { exact: false }).waitFor();
      const near = page.getByTestId(`near-${calloutId}`);
      await near.getByText('村口卡口').first().waitFor();
      await fitsWidth(page);
      await snap(page, 'services-volunteer-near');
      await near.getByTestId(`signup-${calloutId}`).click();
      await page.getByText('报名成功').waitFor();
      const mine = page.getByTestId(`mine-${calloutId}`);
      await mine.getByText('已报名').first().waitFor();
      // Signing up put them on the checkpoint's shift, as a party member.
      expect(
        await db
          .selectFrom('shift_assignments')
          .select(['user_id', 'role'])
          .where('shift_id', '=', made.shiftId)
          .execute(),
      ).toEqual([{ user_id: volunteer.user_id, role: 'party_member' }]);
      // Check-in opens an hour before the start: it is open now.
      await mine.getByTestId(`check-in-${calloutId}`).click();
      await page.getByText('已签到', { exact: true }).first().waitFor();
      await mine.getByTestId(`times-${calloutId}`).waitFor();
      // The cadre sees who came, and when.
      await cadre.page.reload();
      await cadre.page.getByTestId(`signup-row-${volunteer.id}`).getByText('已签到').waitFor();

      // Three hours later by the server's clock: the shift (two hours and a grace hour) is credited.
      offsetMs = 3 * HOUR;
      await mine.getByTestId(`check-out-${calloutId}`).click();
      await page.getByText('已签退，记入 3.0 小时').waitFor();
      await page.getByTestId('my-hours').getByText('3.0').waitFor();
      await mine.getByText('已完成').first().waitFor();
      await snap(page, 'services-volunteer-done');
      const signup = await db
        .selectFrom('callout_signups')
        .select(['status', 'minutes', 'in_lat', 'in_lng', 'checked_in_at', 'checked_out_at'])
        .where('callout_id', '=', calloutId)
        .where('volunteer_id', '=', volunteer.id)
        .executeTakeFirstOrThrow();
      expect(signup).toMatchObject({ status: 'done', minutes: 180 });
      expect(signup.in_lat).toBeCloseTo(30.2332, 3);
      expect(signup.in_lng).toBeCloseTo(119.7246, 3);

      // The certificate, downloaded from the record, carries the hours.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('my-certificate').click(),
      ]);
      const file = await download.path();
      expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
      const text = pdfText(file).replace(/\s+/g, '');
      expect(text).toContain('志愿服务证明');
      expect(text).toContain(JOINER.name);
      expect(text).toContain(ORG);
      expect(text).toContain('累计志愿服务时长3.0小时');
    } catch (e) {
      await snap(page, 'services-volunteer-failed');
      throw e;
    } finally {
      await vol.context.close();
    }

    // ---- The organisation's total and the street's ranking show the hours.
    await cadre.context.close();
    const c2 = await j.newPage(PHONE);
    try {
      await j.login(c2.page, 'volcoord');
      await c2.page.waitForURL('**/services');
      await c2.page.getByTestId(`org-hours-${orgId}`).getByText('3.0').waitFor();
      await c2.page.getByTestId(`volunteer-hours-${volunteer.id}`).getByText('3.0').waitFor();
      await c2.page.goto('/services/hours');
      await c2.page.getByTestId(`rank-hours-volunteer-${volunteer.id}`).getByText('3.0').waitFor();
      await c2.page.getByTestId('hours-chart').waitFor();
      await settled(c2.page);
      await fitsWidth(c2.page);
      await snap(c2.page, 'services-hours');
      // On a phone the filters wait behind one button: rank the organisations.
      await c2.page.getByTestId('filters-open').click();
      await c2.page.getByTestId('hours-by').getByText('组织').click();
      await c2.page.getByTestId('filters-done').click();
      await c2.page.getByTestId(`rank-hours-org-${orgId}`).getByText('3.0').waitFor();
    } catch (e) {
      await snap(c2.page, 'services-hours-failed');
      throw e;
    } finally {
      await c2.context.close();
    }
    const org = await db
      .selectFrom('volunteer_orgs')
      .select('minutes_total')
      .where('id', '=', orgId)
      .executeTakeFirstOrThrow();
    expect(org.minutes_total).toBe(180);
  });

  it('the coordinator suspends a volunteer of their street and adds a skill, from the list on a phone', async () => {
    const { db } = j.boot.database;
    const street = await placeOf(j, 'volcoord');
    // An active volunteer living in the street who has no first aid yet.
    const chosen = await db
      .selectFrom('volunteers')
      .select(['id', 'name', 'skills'])
      .where('home_path', 'like', `${street.path}%`)
      .where('status', '=', 'active')
      .where('skills', 'not like', '%"first_aid"%')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const before = JSON.parse(chosen.skills) as string[];

    const { page, context } = await j.newPage(PHONE);
    try {
      await j.login(page, 'volcoord');
      await page.waitForURL('**/services');
      await page.getByLabel('按姓名查找').fill(chosen.name);
      await page.getByLabel('按姓名查找').press('Enter');
      const row = page.getByTestId(`volunteer-${chosen.id}`);
      await row.getByText('在岗', { exact: true }).waitFor();
      await row.getByTestId(`volunteer-edit-${chosen.id}`).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('volunteer-edit-form').waitFor();
      await settled(page);
      await fitsWidth(page);
      expect(await smallInDialog(page)).toEqual([]);
      await snap(page, 'services-volunteer-edit');
      await choose(dialog.getByRole('combobox', { name: '状态' }), '暂停');
      await dialog.getByTestId('volunteer-edit-skills').getByText('急救', { exact: true }).click();
      await submitDialog(page, 'volunteer-edit-save');
      await row.getByText('暂停', { exact: true }).waitFor();
      await row.getByText('急救', { exact: true }).waitFor();
      await fitsWidth(page);
      await snap(page, 'services-volunteer-edited');
    } catch (e) {
      await snap(page, 'services-volunteer-edit-failed');
      throw e;
    } finally {
      await context.close();
    }

    const after = await db
      .selectFrom('volunteers')
      .select(['status', 'skills'])
      .where('id', '=', chosen.id)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe('paused');
    expect(new Set(JSON.parse(after.skills) as string[])).toEqual(new Set([...before, 'first_aid']));
    // One audit row, naming only what was changed.
    const audits = await db
      .selectFrom('audit_log as l')
      .innerJoin('users as u', 'u.id', 'l.actor_user_id')
      .select(['u.username', 'l.detail'])
      .where('l.action', '=', 'volunteer.update')
      .where('l.entity_id', '=', String(chosen.id))
      .execute();
    expect(audits).toHaveLength(1);
    expect(audits[0]!.username).toBe('volcoord');
    expect((JSON.parse(audits[0]!.detail ?? '{}') as { fields: string[] }).fields.sort()).toEqual([
      'skills',
      'status',
    ]);
  });
});
