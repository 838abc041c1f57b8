// Joint mediation (矛盾联调), the acceptance line, through the pages. A resident on a phone,
// not signed in, applies at /mediate for mediation of a neighbour dispute at 章坂村 (the place found
// by name) against one neighbour; the village cadre records the neighbour's consent and designates
// 金秀英; she schedules and minutes a session, drafts the agreement (its PDF carries the dossier number
// and the content hash shown on the page), has the applicant sign through their one-time link on
// their phone, the neighbour at her side (ID card checked on site) and signs herself: the agreement is
// in effect, 30 days to apply for judicial confirmation. She applies to 临安区人民法院; the judge
// accepts and confirms it from /confirmations; she sees it confirmed and records the follow-up visit.
// Then the micro court: the invited mediator at 太源村 records today's attendance on a phone, and the
// judge's booking over one of today's bookings there is refused in words (409 mediation.point_booked).
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '../common/worktime.js';
import { idCheckChar } from '../common/validators.js';
import { apiFromPage, choose, placeOf, settled, snap, startJourney, type Journey } from './harness.js';
import { pdfText } from '../server/test/pdf-text.js';

let j: Journey;
beforeAll(async () => {
  j = await startJourney();
});
afterAll(async () => {
  await j?.close();
});

const PHONE = { width: 390, height: 844 };

/** A valid resident ID number (临安区's region code) from a birth date and a sequence. */
function idNumber(birth: string, seq: string): string {
  const first17 = `330112${birth}${seq}`;
  return first17 + idCheckChar(first17);
}

const APPLICANT = { name: '何海燕', id: idNumber('19860315', '128'), phone: '13957112345' };
const RESPONDENT = { name: '邵志强', id: idNumber('19790821', '317') };

/** Now in Shanghai as a `datetime-local` value (YYYY-MM-DDTHH:mm), whatever the machine's zone. */
const shanghaiNow = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 16);

/** Answers the open confirmation bubble (antd Popconfirm) with OK, and waits until it is gone. */
async function confirmPop(page: Page) {
  const pop = page.locator('.ant-popconfirm:visible');
  await pop.getByRole('button', { name: '确定' }).click();
  await pop.waitFor({ state: 'hidden' });
}

/** Submits a dialog by its OK button (found by test id) and waits until the dialog has closed. */
async function submitDialog(dialog: Locator, okTestId: string) {
  await dialog.getByTestId(okTestId).click();
  await dialog.waitFor({ state: 'hidden' });
}

// Seven steps by five people in five browsers: more than the default two minutes on a loaded machine.
describe('joint mediation from application to a confirmed agreement', { timeout: 300_000 }, () => {
  it('a resident applies on a phone; the cadre designates the mediator; she minutes, drafts, collects the signatures and applies; the judge confirms; she visits', async () => {
    const { db } = j.boot.database;
    const today = localDate(new Date().toISOString());
    let dossier: string;
    let partyLink: string;

    // 1. The resident, on a phone and not signed in, applies at /mediate.
    const resident = await j.newPage(PHONE);
    try {
      const { page } = resident;
      await page.goto('/mediate');
      const form = page.getByTestId('apply-form');
      await form.waitFor();
      const submit = page.getByTestId('apply-submit');
      // Nowhere chosen yet: the form says so and cannot be sent.
      expect(await page.getByTestId('apply-place').textContent()).toContain(
        '请按镇街、村或社区名称查找并选择',
      );
      expect(await submit.isDisabled()).toBe(true);
      await page.getByLabel('按镇街、村或社区名称查找').fill('章坂');
      const hit = page.getByRole('listitem').getByRole('button', { name: /^章坂村 村社/ });
      await hit.waitFor();
      expect(await hit.textContent()).toContain('锦城街道');
      await hit.click();
      await expect
        .poll(() => page.getByTestId('apply-place').textContent())
        .toContain('将由 锦城街道 › 章坂村 的调解组织受理');
      await choose(page.getByRole('combobox', { name: '纠纷类型' }), '邻里纠纷');
      await page
        .getByTestId('apply-facts')
        .fill('邻居邵志强家的排水管直排到我家院子，雨天院内积水，墙脚已经发霉。');
      await page.getByTestId('apply-claims').fill('请对方把排水管改道，并赔偿墙面修补费用。');
      await page.getByTestId('apply-name').fill(APPLICANT.name);
      await page.getByTestId('apply-id').fill(APPLICANT.id);
      await page.getByTestId('apply-phone').fill(APPLICANT.phone);
      await page.getByTestId('respondent-name-0').fill(RESPONDENT.name);
      await page.getByTestId('respondent-id-0').fill(RESPONDENT.id);
      await snap(page, 'mediation-apply-filled');
      await submit.click();
      const shown = page.getByTestId('apply-dossier');
      await shown.waitFor();
      dossier = (await shown.textContent())!.trim();
      expect(dossier).toMatch(/^\(\d{4}\)临锦章人调字第\d+号$/);
      // Their own link, shown once: it opens their case.
      const link = (partyLink = (await page.getByTestId('apply-link').textContent())!.trim());
      expect(link).toMatch(new RegExp(`^${j.baseUrl}/m/[A-Za-z0-9_-]{43}$`));
      await snap(page, 'mediation-applied');
      await page.getByRole('link', { name: '打开我的案件页' }).click();
      await page.waitForURL(`**${new URL(link).pathname}`);
      expect(await page.getByTestId('party-dossier').textContent()).toBe(dossier);
      expect(await page.getByTestId('party-page').textContent()).toContain(
        `您是本案的申请人：${APPLICANT.name}`,
      );
    } catch (e) {
      await snap(resident.page, 'mediation-apply-failed');
      throw e;
    } finally {
      await resident.context.close();
    }

    // Sent to 章坂村's committee; the ID numbers are kept encrypted (the pages show them masked).
    const stored = await db
      .selectFrom('mediation_cases as c')
      .innerJoin('nodes as n', 'n.id', 'c.node_id')
      .innerJoin('mediation_orgs as o', 'o.id', 'c.org_id')
      .select(['c.id', 'c.status', 'n.name as place', 'o.name as org'])
      .where('c.dossier_no', '=', dossier)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: 'received', place: '章坂村', org: '章坂村人民调解委员会' });
    const parties = await db
      .selectFrom('mediation_parties')
      .select(['name', 'side', 'consent', 'id_number_enc'])
      .where('case_id', '=', stored.id)
      .orderBy('seq')
      .execute();
    expect(parties.map((p) => [p.name, p.side, p.consent])).toEqual([
      [APPLICANT.name, 'applicant', 'yes'],
      [RESPONDENT.name, 'respondent', 'pending'],
    ]);
    for (const [p, id] of [
      [parties[0]!, APPLICANT.id],
      [parties[1]!, RESPONDENT.id],
    ] as const) {
      expect(p.id_number_enc).toMatch(/^v1:/);
      expect(p.id_number_enc).not.toContain(id.slice(6, 14));
    }

    // 2. The village cadre finds it among the village's cases, records the neighbour's consent and
    // designates 金秀英 from the suggestions.
    const cadre = await j.newPage();
    try {
      const { page } = cadre;
      await j.login(page, 'cadre');
      await page.goto('/mediation');
      await page.getByTestId('mediation-cases').getByRole('link', { name: dossier }).click();
      await page.waitForURL(`**/mediation/cases/${stored.id}`);
      await page.getByTestId('case-dossier').getByText('已受理', { exact: true }).waitFor();
      const parties = page.getByTestId('case-parties');
      const respondentRow = parties.getByRole('row').filter({ hasText: RESPONDENT.name });
      // Masked on the page: the birth date is not shown.
      expect(await respondentRow.textContent()).not.toContain(RESPONDENT.id.slice(6, 14));
      await respondentRow.getByRole('button', { name: '同意', exact: true }).click();
      await respondentRow.getByText('同意调解').waitFor();
      expect(await parties.getByText('同意调解').count()).toBe(2);
      const assign = page.getByTestId('assign-card');
      const jin = assign.getByRole('row').filter({ hasText: '金秀英' });
      await jin.waitFor();
      // Her specialty, and no conflict with the parties.
      expect(await jin.textContent()).toContain('专长对口');
      expect(await jin.textContent()).not.toContain('可能需回避');
      await snap(page, 'mediation-cadre-assign');
      await jin.getByRole('button', { name: '指派' }).click();
      await page.getByTestId('case-dossier').getByText('调解中').waitFor();
      expect(await page.getByTestId('case-mediator').textContent()).toBe('金秀英');
      expect(await page.getByTestId('assign-card').count()).toBe(0);
    } catch (e) {
      await snap(cadre.page, 'mediation-cadre-failed');
      throw e;
    } finally {
      await cadre.context.close();
    }

    // The resident's own page now names her mediator; her public profile opens on the phone, a
    // finger's size to press, nothing sideways.
    const again = await j.newPage(PHONE);
    try {
      const { page } = again;
      await page.goto(partyLink);
      const who = page.getByTestId('party-mediator');
      await who.waitFor();
      expect(await who.textContent()).toContain('金秀英');
      expect((await who.boundingBox())!.height).toBeGreaterThanOrEqual(44);
      await who.click();
      const profile = page.getByTestId('mediator-profile');
      await profile.waitFor();
      expect(await profile.textContent()).toContain('金秀英');
      expect(await profile.textContent()).toContain('所属调解组织');
      expect(await profile.textContent()).toContain('从事基层调解十二年');
      const w = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(w[0]).toBeLessThanOrEqual(w[1]!);
      await snap(page, 'mediation-party-mediator-profile');
    } catch (e) {
      await snap(again.page, 'mediation-party-mediator-failed');
      throw e;
    } finally {
      await again.context.close();
    }

    // 3. The mediator, at her desk: the case in her caseload; a session held in person and minuted;
    // the agreement drafted, its PDF and content hash.
    const mediator = await j.newPage();
    const { page } = mediator;
    try {
      await j.login(page, 'mediator');
      await page.waitForURL('**/mediation');
      await page.getByTestId('mediation-cases').getByRole('link', { name: dossier }).click();
      await page.waitForURL(`**/mediation/cases/${stored.id}`);
      await page.getByTestId('case-head').waitFor();
      await settled(page);

      await page.getByTestId('schedule-open').click();
      const scheduling = page.getByRole('dialog', { name: '安排调解' });
      await scheduling.getByTestId('session-starts').waitFor();
      await settled(page);
      const startsAt = shanghaiNow();
      await scheduling.getByTestId('session-starts').fill(startsAt);
      expect(await scheduling.getByRole('radio', { name: '现场调解' }).isChecked()).toBe(true);
      await submitDialog(scheduling, 'schedule-submit');
      const sessions = page.getByTestId('case-sessions');
      const session = sessions.locator('li').filter({ hasText: startsAt.replace('T', ' ') });
      await session.getByText('待召开').waitFor();
      expect(await session.textContent()).toContain('现场调解');

      await session.getByRole('button', { name: '记录笔录' }).click();
      const minutes = page.getByRole('dialog', { name: /^调解笔录/ });
      await minutes.getByTestId('minutes-facts').waitFor();
      await settled(page);
      await minutes.getByRole('checkbox', { name: new RegExp(APPLICANT.name) }).check();
      await minutes.getByRole('checkbox', { name: new RegExp(RESPONDENT.name) }).check();
      // The mediator herself is among the other attendees already.
      expect(await minutes.getByLabel('其他参加人员').inputValue()).toBe('金秀英');
      await minutes.getByTestId('minutes-facts').fill('被申请人房屋排水管直排至申请人院内，现场查看属实。');
      await minutes
        .getByTestId('minutes-positions')
        .fill('申请人要求改道并赔偿修补费；被申请人同意改道，对赔偿数额有异议。');
      await minutes.getByTestId('minutes-result').fill('双方同意由被申请人改道排水管并承担墙面修补费800元。');
      await submitDialog(minutes, 'minutes-submit');
      await session.getByText('已召开').waitFor();
      await session.getByText('笔录（到场当事人 2 人）').click();
      expect(await session.textContent()).toContain(`${APPLICANT.name}、${RESPONDENT.name}、金秀英`);

      const agreement = page.getByTestId('case-agreement');
      const draft = agreement.getByTestId('agreement-form');
      await draft.waitFor();
      // The facts come from the application; the one respondent is the obliged party already.
      expect(await draft.getByTestId('agreement-facts').inputValue()).toContain('排水管直排');
      expect(await draft.getByTestId('obligation-0').textContent()).toContain(
        `${RESPONDENT.name} · 被申请人`,
      );
      await draft.getByTestId('agreement-points').fill('排水管改道的期限与墙面修补费用的承担。');
      await draft.getByTestId('obligation-what-0').fill('将排水管改道接入村排水沟，并支付墙面修补费');
      await draft.getByTestId('obligation-0').getByRole('spinbutton', { name: '涉及金额' }).fill('800');
      await draft.getByTestId('obligation-manner-0').fill('自行施工，修补费现金当面交付');
      await draft.getByTestId('obligation-deadline-0').fill(addDays(today, 7));
      await draft.getByTestId('agreement-draft').click();
      const pdfLink = agreement.getByTestId('agreement-pdf');
      await pdfLink.waitFor();
      await agreement.getByText('签署中').waitFor();
      const shaLine = (await agreement.getByTestId('agreement-sha').textContent())!;
      const sha = /[0-9a-f]{64}/.exec(shaLine)?.[0] ?? '';
      expect(shaLine).toBe(`内容 SHA-256 ${sha}`);
      expect(await agreement.getByTestId('agreement-progress').textContent()).toBe('0/3');
      await snap(page, 'mediation-agreement-drafted');

      // The PDF, fetched through the page's own link with her session: the dossier number and the
      // content hash shown on the page are in its text.
      const res = await page.request.get((await pdfLink.getAttribute('href'))!);
      expect(res.status()).toBe(200);
      expect(res.headers()['content-type']).toContain('application/pdf');
      const pdf = await res.body();
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const text = pdfText(pdf).replace(/\s+/g, '');
      expect(text).toContain(dossier);
      expect(text).toContain(sha);

      // 4. The signatures. The one-time links: the applicant's goes to her phone.
      await agreement.getByTestId('sign-links').click();
      await confirmPop(page);
      const links = page.getByRole('dialog', { name: '签署链接' });
      const mine = links.locator('li').filter({ hasText: APPLICANT.name });
      await mine.waitFor();
      expect(await links.locator('li').count()).toBe(2);
      const url = (await mine.locator('[data-testid^="sign-link-"]').textContent())!.trim();
      expect(url).toMatch(new RegExp(`^${j.baseUrl}/sign/[A-Za-z0-9_-]{43}$`));
      const applicantSignPath = new URL(url).pathname;
      await links.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
      await links.waitFor({ state: 'hidden' });

      // The applicant, on her phone in a fresh browser: what she signs, then her name and ID number.
      const applicant = await j.newPage(PHONE);
      try {
        const p = applicant.page;
        await p.goto(applicantSignPath);
        await p.getByTestId('sign-page').waitFor();
        expect(await p.getByTestId('sign-page').textContent()).toContain(
          `签署人：${APPLICANT.name} · ${dossier}`,
        );
        expect(await p.getByTestId('sign-sha').textContent()).toContain(sha);
        expect(await p.getByTestId('sign-obligations').textContent()).toContain(
          `${RESPONDENT.name}：将排水管改道接入村排水沟，并支付墙面修补费，自行施工，修补费现金当面交付，${addDays(today, 7)} 前履行`,
        );
        await p.getByTestId('sign-name').fill(APPLICANT.name);
        await p.getByTestId('sign-id').fill(APPLICANT.id);
        await snap(p, 'mediation-sign-applicant');
        await p.getByTestId('sign-submit').click();
        await p.getByTestId('sign-done').waitFor();
        expect(await p.getByTestId('sign-done').textContent()).toContain(`您已签署 ${dossier} 号调解协议`);
      } catch (e) {
        await snap(applicant.page, 'mediation-sign-failed');
        throw e;
      } finally {
        await applicant.context.close();
      }

      // Back at the mediator's page: the applicant's signature is in; the neighbour signs beside her,
      // his ID card checked on site.
      await page.reload();
      await agreement.getByTestId('agreement-progress').getByText('1/3').waitFor();
      const assisted = agreement.getByTestId('assisted-sign');
      await assisted.waitFor();
      await settled(page);
      const party = assisted.getByRole('combobox', { name: '选择签名的当事人' });
      await choose(party, RESPONDENT.name);
      const signButton = assisted.getByRole('button', { name: '记录签名' });
      // Not without the ID card checked.
      expect(await signButton.isDisabled()).toBe(true);
      await assisted.getByRole('checkbox', { name: '已现场核验身份证原件' }).check();
      await signButton.click();
      await agreement.getByTestId('agreement-progress').getByText('2/3').waitFor();

      // Her own signature last: the agreement is in effect, 30 days to apply for confirmation.
      await agreement.getByTestId('mediator-sign').click();
      await confirmPop(page);
      await agreement.getByText('已生效').waitFor();
      expect(await agreement.getByTestId('agreement-progress').textContent()).toBe('3/3');
      const countdown = agreement.getByTestId('confirm-countdown');
      await countdown.waitFor();
      expect(await countdown.textContent()).toBe(
        `可在 ${addDays(today, 30)} 前（生效后 30 日内）共同申请司法确认 剩 30 天`,
      );
      await page.getByTestId('case-dossier').getByText('达成协议').waitFor();
      await agreement.getByText('签名（3/3）').click();
      const signatures = agreement.getByTestId('agreement-signatures');
      expect(await signatures.locator('li').filter({ hasText: APPLICANT.name }).textContent()).toContain(
        '线上',
      );
      expect(await signatures.locator('li').filter({ hasText: RESPONDENT.name }).textContent()).toContain(
        '现场核验',
      );
      await snap(page, 'mediation-agreement-in-effect');
      // Who checked the ID card is kept with the signature (the page does not show it).
      const checkedBy = await db
        .selectFrom('mediation_signatures as s')
        .innerJoin('mediation_parties as p', 'p.id', 's.party_id')
        .innerJoin('users as u', 'u.id', 's.checked_by_user_id')
        .select(['u.username', 's.method'])
        .where('p.case_id', '=', stored.id)
        .where('p.name', '=', RESPONDENT.name)
        .executeTakeFirstOrThrow();
      expect(checkedBy).toEqual({ username: 'mediator', method: 'assisted' });

      // 5. The application for judicial confirmation to the district court, with its materials.
      const apply = agreement.getByTestId('apply-form');
      await apply.waitFor();
      await choose(apply.getByRole('combobox', { name: '人民法院' }), '临安区人民法院');
      for (const m of ['司法确认申请书', '调解协议书', '当事人身份证明'])
        expect(await apply.getByRole('checkbox', { name: m }).isChecked()).toBe(true);
      await apply.getByRole('checkbox', { name: '相关证据材料' }).check();
      // A neighbour dispute touches nothing a court cannot confirm: no warning.
      expect(await apply.getByTestId('apply-warnings').count()).toBe(0);
      await apply.getByTestId('apply-submit').click();
      const summary = agreement.getByTestId('confirmation-summary');
      await summary.waitFor();
      expect(await summary.textContent()).toContain('临安区人民法院');
      await summary.getByText('待受理', { exact: true }).waitFor();
      expect(await agreement.getByTestId('confirm-countdown').count()).toBe(0);

      // 6. The judge lands on the applications sent to the court, accepts this one and confirms it.
      const ruling = '经审查，双方自愿达成的调解协议不违反法律规定，确认有效。';
      const judge = await j.newPage();
      try {
        const p = judge.page;
        await j.login(p, 'judge');
        await p.waitForURL('**/confirmations');
        const row = p.getByTestId('confirmations').getByRole('row').filter({ hasText: dossier });
        await row.waitFor();
        expect(await row.textContent()).toContain(`${APPLICANT.name} — ${RESPONDENT.name}`);
        await row.getByText('待受理', { exact: true }).waitFor();
        await row.getByRole('button', { name: '受理', exact: true }).click();
        const accepting = p.getByRole('dialog', { name: `受理 · ${dossier}` });
        await accepting.waitFor();
        await settled(p);
        await submitDialog(accepting, 'confirmation-step-submit');
        await row.getByText('已受理', { exact: true }).waitFor();
        await row.getByRole('button', { name: '作出裁定' }).click();
        const deciding = p.getByRole('dialog', { name: `作出裁定 · ${dossier}` });
        await deciding.waitFor();
        await settled(p);
        await deciding.getByTestId('decide-confirm').getByText('确认协议有效').click();
        expect(await deciding.getByRole('radio', { name: '确认协议有效' }).isChecked()).toBe(true);
        await deciding.getByTestId('confirmation-text').fill(ruling);
        await submitDialog(deciding, 'confirmation-step-submit');
        await row.getByText('确认有效', { exact: true }).waitFor();
        expect(await row.textContent()).toContain(ruling);
        await snap(p, 'mediation-judge-confirmed');
      } catch (e) {
        await snap(judge.page, 'mediation-judge-failed');
        throw e;
      } finally {
        await judge.context.close();
      }

      // The mediator's case page: confirmed, with the ruling.
      await page.reload();
      await summary.getByText('确认有效', { exact: true }).waitFor();
      expect(await summary.textContent()).toContain(ruling);

      // 7. The follow-up visit after the deadline: performed in full, the parties very satisfied.
      const followUps = page.getByTestId('case-follow-ups');
      const visit = followUps.locator('li').filter({ hasText: `${addDays(today, 10)} 回访` });
      await visit.getByText('待回访').waitFor();
      await visit.getByRole('button', { name: '登记回访' }).click();
      const recording = page.getByRole('dialog', { name: `回访登记 · ${addDays(today, 10)}` });
      await recording.getByTestId('follow-up-performance').waitFor();
      await settled(page);
      await recording.getByTestId('follow-up-performance').getByText('全部履行').click();
      await recording.getByTestId('follow-up-satisfaction').getByText('5', { exact: true }).click();
      await recording.getByLabel('备注').fill('排水管已改道，修补费已当面付清，双方关系缓和。');
      await submitDialog(recording, 'follow-up-submit');
      await visit.getByText('已回访').waitFor();
      expect(await visit.textContent()).toContain('全部履行 · 满意度 5');
      expect(await visit.textContent()).toContain('排水管已改道');
      expect(await visit.getByRole('button', { name: '登记回访' }).count()).toBe(0);
      await snap(page, 'mediation-follow-up');
    } catch (e) {
      await snap(page, 'mediation-mediator-failed');
      throw e;
    } finally {
      await mediator.context.close();
    }
  });
});

describe('a dispute reported in joint handling, handed to mediation', () => {
  it('the village cadre hands a neighbour dispute from the event’s page: the case prefilled from the event, the event naming its case', async () => {
    const { db } = j.boot.database;
    const cadre = await j.newPage();
    const { page, context } = cadre;
    try {
      await j.login(page, 'cadre');
      // A neighbour dispute reported at the cadre's village (as a patrol would), by the API.
      const village = await placeOf(j, 'cadre');
      const category = await db
        .selectFrom('event_categories')
        .select('id')
        .where('code', '=', 'dispute.neighbour')
        .executeTakeFirstOrThrow();
      const facts = '楼上卫生间漏水，楼下天花板发霉，两家多次协商未果';
      const created = await apiFromPage<{ event: { id: number } }>(page, 'POST', '/api/events', {
        categoryId: category.id,
        title: '楼上漏水引发邻里争吵',
        description: facts,
        nodeId: village.id,
        reporterName: '陈美华',
      });
      expect(created.status).toBe(201);
      const eventId = created.body.event.id;

      await page.goto(`/events/${eventId}`);
      await page.getByTestId('action-to-mediation').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('to-mediation-form').waitFor();
      // Prefilled from the event: what was reported, the reporter as the applicant.
      expect(await dialog.getByTestId('to-mediation-facts').inputValue()).toBe(facts);
      expect(await dialog.getByTestId('to-mediation-applicant').inputValue()).toBe('陈美华');
      await dialog.getByTestId('to-mediation-claims').fill('修好漏水的管道，承担天花板的修缮费用');
      await dialog.getByTestId('to-mediation-respondent').fill('王建国');
      await dialog.getByTestId('to-mediation-submit').click();
      await page.waitForURL(/\/mediation\/cases\/\d+$/);
      const caseId = Number(new URL(page.url()).pathname.split('/').pop());
      const stored = await db
        .selectFrom('mediation_cases')
        .select(['source', 'event_id', 'dispute_type'])
        .where('id', '=', caseId)
        .executeTakeFirstOrThrow();
      expect(stored).toEqual({ source: 'event', event_id: eventId, dispute_type: 'neighbour' });

      // The event now names its case, and cannot be handed over twice.
      await page.goto(`/events/${eventId}`);
      await page.getByTestId('event-mediation-case').click();
      await page.waitForURL(`**/mediation/cases/${caseId}`);
      await page.goto(`/events/${eventId}`);
      await page.getByTestId('event-mediation-case').waitFor();
      expect(await page.getByTestId('action-to-mediation').count()).toBe(0);
      await snap(page, 'mediation-event-handed-over');
    } catch (e) {
      await snap(page, 'mediation-event-handover-failed');
      throw e;
    } finally {
      await context.close();
    }
  });
});

describe('cloud hearings at a micro-court point', () => {
  it('the invited mediator records today’s attendance on a phone; the judge’s overlapping booking is refused in words', async () => {
    const today = localDate(new Date().toISOString());
    const invited = await j.newPage(PHONE);
    try {
      const { page } = invited;
      await j.login(page, 'invited');
      await page.waitForURL('**/hearings');
      const list = page.getByTestId('hearings');
      const cards = list.locator(':scope > .ant-card');
      await expect.poll(() => cards.count()).toBe(2);
      for (const card of await cards.all()) expect(await card.textContent()).toContain('太源村微法庭');
      const loan = cards.filter({ hasText: '民间借贷纠纷云庭审' });
      expect(await loan.textContent()).toContain('09:30–11:00');
      expect(await cards.filter({ hasText: '赡养纠纷诉前调解（远程）' }).textContent()).toContain(
        '14:00–15:30',
      );
      await loan.getByText('待开庭').waitFor();

      // The judge (by video from the court) and the plaintiff at the point are there; the defendant not.
      const checks = loan.getByRole('checkbox');
      const save = loan.getByRole('button', { name: /^登记到场/ });
      await loan.getByRole('checkbox', { name: /^应文斌（法官）/ }).check();
      await loan.getByRole('checkbox', { name: /^原告 / }).check();
      expect(await save.textContent()).toBe('登记到场（2 人）');
      // Not without the IDs checked on site.
      expect(await save.isDisabled()).toBe(true);
      await loan.getByRole('checkbox', { name: '已现场核验到场人员身份证件' }).check();
      await snap(page, 'hearings-attendance');
      await save.click();
      await loan.getByText('已开庭').waitFor();
      expect(await checks.count()).toBe(0);
      expect(await loan.getByText('到场', { exact: true }).count()).toBe(2);
      expect(await loan.getByText('未到', { exact: true }).count()).toBe(1);
      const w = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(w[0]).toBeLessThanOrEqual(w[1]!);
    } catch (e) {
      await snap(invited.page, 'hearings-invited-failed');
      throw e;
    } finally {
      await invited.context.close();
    }

    const judge = await j.newPage();
    try {
      const { page } = judge;
      await j.login(page, 'judge');
      await page.waitForURL('**/confirmations');
      const todays = page.getByTestId('hearings').locator(':scope > .ant-card');
      await expect.poll(() => todays.count()).toBe(2);
      await page.getByTestId('book-open').click();
      const booking = page.getByRole('dialog', { name: '预约云庭审' });
      await booking.getByTestId('book-title').waitFor();
      await settled(page);
      await choose(booking.getByRole('combobox', { name: '微法庭点位' }), /^太源村微法庭/, { type: '太源' });
      await booking.getByTestId('book-title').fill('相邻关系纠纷云庭审');
      await booking.getByTestId('book-starts').fill(`${today}T14:30`);
      await booking.getByTestId('book-ends').fill(`${today}T15:30`);
      await booking.getByTestId('participant-name-0').fill('应文斌（法官）');
      await booking.getByTestId('participant-name-1').fill('吴建国');
      await booking.getByTestId('book-submit').click();
      const clash = booking.getByTestId('book-clash');
      await clash.waitFor();
      expect(await clash.textContent()).toContain(`该微法庭在 ${today} 14:00 至 ${today} 15:30 已有预约`);
      expect(await clash.textContent()).toContain('请改选其他时间或其他微法庭。');
      await snap(page, 'hearings-booking-refused');
      // Still open, nothing booked: today's list is as it was.
      await booking.getByRole('button', { name: '取消' }).click();
      await booking.waitFor({ state: 'hidden' });
      expect(await todays.count()).toBe(2);
      expect(await page.getByTestId('hearings').textContent()).not.toContain('相邻关系纠纷云庭审');
    } catch (e) {
      await snap(judge.page, 'hearings-judge-failed');
      throw e;
    } finally {
      await judge.context.close();
    }
  });
});
