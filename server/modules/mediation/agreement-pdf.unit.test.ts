// The mediation agreement PDF, read back with poppler: the text is there (and extracts), the glyphs
// have ink (the known failure is a CJK subset that extracts but renders blank), a 77-applicant wage
// case flows over pages with nothing cut off and a footer on each, and the same input gives the
// same bytes.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreementContentHash, renderAgreementPdf, type AgreementDocument } from './agreement-pdf.js';

const run = promisify(execFile);
const TOOLS = ['pdftotext', 'pdfinfo', 'pdftoppm'] as const;

async function onPath(tool: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    try {
      await access(path.join(dir, tool), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

type Draft = Omit<AgreementDocument, 'contentSha256'>;
const withHash = (d: Draft): AgreementDocument => ({ ...d, contentSha256: agreementContentHash(d) });

function neighbourDispute(): Draft {
  return {
    dossierNo: '(2026)临於人调字第15号',
    organisation: '於潜镇人民调解委员会',
    parties: [
      {
        side: 'applicant',
        kind: 'person',
        name: '张建国',
        idNumberMasked: '3301**********1234',
        agent: null,
      },
      {
        side: 'respondent',
        kind: 'person',
        name: '李秀英',
        idNumberMasked: '3301**********5678',
        agent: '李明（女儿）',
      },
    ],
    facts:
      '申请人与被申请人系前后邻居。2026年2月，被申请人在自家院落东侧加盖彩钢棚，雨水沿棚顶排入申请人院内，致申请人厨房外墙渗水、墙面霉变。\n双方多次协商未果，申请人于2026年3月2日向本委员会申请调解。',
    disputedPoints: '一、被申请人加盖彩钢棚的排水是否造成申请人损失；二、损失的赔偿金额及排水改造方式。',
    obligations: [
      {
        party: '李秀英',
        what: '拆除彩钢棚东侧排水檐沟并改为向自家院内排水',
        amountYuan: null,
        manner: '自行施工，申请人到场确认',
        deadline: '2026年4月15日前',
      },
      {
        party: '李秀英',
        what: '赔偿张建国外墙修缮费用',
        amountYuan: '3200.00',
        manner: '银行转账至申请人账户',
        deadline: '2026年4月30日前',
      },
    ],
    otherTerms: '双方就本纠纷再无其他争议。',
    mediator: '王立新',
    draftedAt: '2026-03-20T02:30:00.000Z',
  };
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '欧阳'];
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '建华'];
// Distinct and deterministic: a surname, a given name and a number (real rosters repeat names).
const applicantNames = Array.from(
  { length: 77 },
  (_, i) => `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 5) % GIVEN.length]}${i + 1}`,
);
const COMPANY = '临安某某建筑劳务有限公司';

function wageDispute(): Draft {
  return {
    dossierNo: '(2026)临於人调字第27号',
    organisation: '於潜镇人民调解委员会',
    parties: [
      ...applicantNames.map((name, i) => ({
        side: 'applicant' as const,
        kind: 'person' as const,
        name,
        idNumberMasked: `3301**********${1000 + i}`,
        agent: i % 10 === 0 ? '浙江某某律师事务所陈律师' : null,
      })),
      {
        side: 'respondent',
        kind: 'org',
        name: COMPANY,
        idNumberMasked: '91330185MA2XXXXX1X',
        agent: '赵经理',
      },
    ],
    facts: `${'申请人均为被申请人承建的於潜镇安置房项目的务工人员。'.repeat(4)}\n${'被申请人拖欠申请人2025年9月至12月工资。'.repeat(4)}`,
    disputedPoints: '拖欠工资的数额与支付期限。',
    obligations: [
      ...applicantNames.map((name, i) => ({
        party: COMPANY,
        what: `向${name}支付2025年9月至12月拖欠工资`,
        amountYuan: `${18000 + i * 137}.00`,
        manner: '银行转账至本人工资卡',
        deadline: '2026年4月30日前',
      })),
      {
        party: COMPANY,
        what: '向全体申请人出具工资结算清单',
        amountYuan: null,
        manner: '书面送达',
        deadline: '2026年4月10日前',
      },
      {
        party: '全体申请人',
        what: '收到工资后不再就本纠纷向被申请人主张其他权利',
        amountYuan: null,
        manner: '书面确认',
        deadline: '收款之日起七日内',
      },
    ],
    otherTerms: null,
    mediator: '王立新',
    draftedAt: '2026-03-21T08:00:00+08:00',
  };
}

const flat = (s: string) => s.replace(/\s+/g, '');

let dir: string;
const neighbour = withHash(neighbourDispute());
const wage = withHash(wageDispute());
let neighbourPdf: Buffer;
let wagePdf: Buffer;

async function saved(name: string, bytes: Buffer): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return file;
}
async function textOf(file: string): Promise<string> {
  return (await run('pdftotext', ['-enc', 'UTF-8', file, '-'], { maxBuffer: 64 << 20 })).stdout;
}
async function pagesOf(file: string): Promise<number> {
  const { stdout } = await run('pdfinfo', [file]);
  return Number(/^Pages:\s+(\d+)/m.exec(stdout)?.[1]);
}

describe('agreementContentHash', () => {
  it('changes when an obligation does, and not with the order of keys', () => {
    const base = neighbourDispute();
    const hash = agreementContentHash(base);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const changed = neighbourDispute();
    changed.obligations[1]!.amountYuan = '3300.00';
    expect(agreementContentHash(changed)).not.toBe(hash);
    const reordered = Object.fromEntries(Object.entries(base).reverse()) as Draft;
    reordered.parties = base.parties.map((p) => Object.fromEntries(Object.entries(p).reverse()) as typeof p);
    expect(agreementContentHash(reordered)).toBe(hash);
  });

  it('leaves out a document’s own hash', () => {
    expect(agreementContentHash(neighbour)).toBe(neighbour.contentSha256);
  });
});

describe('the PDF, read back with poppler', () => {
  beforeAll(async () => {
    const missing: string[] = [];
    for (const tool of TOOLS) if (!(await onPath(tool))) missing.push(tool);
    if (missing.length > 0)
      throw new Error(
        `${missing.join(', ')} not on PATH: these tests read the PDF back with poppler-utils (apt-get install poppler-utils)`,
      );
    dir = await mkdtemp(path.join(os.tmpdir(), 'agreement-pdf-'));
    neighbourPdf = await renderAgreementPdf(neighbour);
    wagePdf = await renderAgreementPdf(wage);
  }, 60_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe('the agreement of a two-party neighbour dispute', () => {
    it('is a small PDF whose text extracts: title, dossier number, a party, an obligation, the hash', async () => {
      expect(neighbourPdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      // Subsets, not the 10 MB fonts.
      expect(neighbourPdf.length).toBeLessThan(200 * 1024);
      const text = flat(await textOf(await saved('neighbour.pdf', neighbourPdf)));
      for (const needle of [
        '人民调解协议书',
        neighbour.dossierNo,
        '张建国',
        '李秀英',
        '赔偿张建国外墙修缮费用',
        '人民币3200.00元',
        '经调解，当事人自愿达成如下协议',
        '三十日内共同向人民法院申请司法确认',
        '於潜镇人民调解委员会（印章）',
        '2026年3月20日',
        `内容SHA-256：${neighbour.contentSha256}`,
      ])
        expect(text, needle).toContain(flat(needle));
    });

    it('draws the title with ink, not blank glyphs', async () => {
      const file = await saved('ink.pdf', neighbourPdf);
      const out = path.join(dir, 'ink');
      await run('pdftoppm', ['-r', '50', '-gray', '-f', '1', '-l', '1', '-singlefile', file, out]);
      const { width, height, pixels } = parsePgm(await readFile(`${out}.pgm`));
      // The title's band: from the top margin (56 pt) down one title line (20 pt × 1.65), at 50 dpi.
      const px = (pt: number) => Math.round((pt * 50) / 72);
      const darkIn = (fromRow: number, toRow: number) => {
        let dark = 0;
        for (let y = fromRow; y < toRow; y++)
          for (let x = 0; x < width; x++) if (pixels[y * width + x]! < 128) dark++;
        return dark;
      };
      // Measured: about 550 dark pixels in the band and 2,000 in the top quarter; blank glyphs give 0
      // (nothing but text is drawn up there).
      expect(darkIn(px(56), px(56 + 33))).toBeGreaterThan(150);
      expect(darkIn(0, Math.floor(height / 4))).toBeGreaterThan(1000);
    });

    it('is the same bytes for the same input', async () => {
      const again = await renderAgreementPdf(withHash(neighbourDispute()));
      expect(again.equals(neighbourPdf)).toBe(true);
    });
  });

  it('depends on nothing rendered before it (characters that share a glyph extract as themselves)', async () => {
    // Noto Sans SC draws U+2022 and U+00B7 with one glyph; fontkit remembers the first character to
    // reach a glyph, so a font shared between documents would give the second document the first's.
    const bullet = await renderAgreementPdf(
      withHash({ ...neighbourDispute(), mediator: '阿卜杜\u2022热合曼' }),
    );
    const dot = await renderAgreementPdf(withHash({ ...neighbourDispute(), mediator: '阿卜杜\u00b7热合曼' }));
    expect(flat(await textOf(await saved('bullet.pdf', bullet)))).toContain('阿卜杜\u2022热合曼');
    expect(flat(await textOf(await saved('dot.pdf', dot)))).toContain('阿卜杜\u00b7热合曼');
  });

  describe('the agreement of a wage case with 77 applicants', () => {
    it('flows over several pages, nobody and nothing cut off, a footer on every page', async () => {
      const file = await saved('wage.pdf', wagePdf);
      const pages = await pagesOf(file);
      expect(pages).toBeGreaterThan(1);
      const raw = await textOf(file);
      const text = flat(raw);
      for (const name of applicantNames) expect(text, name).toContain(`申请人：${name}（自然人）`);
      expect(text).toContain(`被申请人：${COMPANY}（法人或其他组织）`);
      const last = applicantNames.at(-1)!;
      expect(text).toContain(`向${last}支付2025年9月至12月拖欠工资；金额：人民币${18000 + 76 * 137}.00元`);
      expect(text).toContain(
        flat('79. 义务人：全体申请人；履行事项：收到工资后不再就本纠纷向被申请人主张其他权利'),
      );
      // Every party has a signature box.
      for (const name of applicantNames) expect(text.split(name).length - 1, name).toBeGreaterThanOrEqual(3);
      // pdftotext ends each page with a form feed.
      const pageTexts = raw.split('\f').slice(0, pages).map(flat);
      expect(pageTexts).toHaveLength(pages);
      pageTexts.forEach((p, i) => {
        expect(p, `page ${i + 1}`).toContain(flat(`第 ${i + 1} 页 / 共 ${pages} 页`));
        expect(p, `page ${i + 1}`).toContain(wage.contentSha256);
        expect(p, `page ${i + 1}`).toContain(wage.dossierNo);
      });
      expect(pageTexts.at(-1)).toContain('2026年3月21日');
    });

    it('is the same bytes for the same input', async () => {
      expect((await renderAgreementPdf(withHash(wageDispute()))).equals(wagePdf)).toBe(true);
    });
  });
});

/** A binary PGM (P5, 8-bit), as pdftoppm -gray writes it. */
function parsePgm(data: Buffer): { width: number; height: number; pixels: Buffer } {
  const fields: number[] = [];
  let pos = 2;
  expect(data.subarray(0, 2).toString('latin1')).toBe('P5');
  while (fields.length < 3) {
    while (/\s/.test(String.fromCharCode(data[pos]!))) pos++;
    if (data[pos] === 0x23) {
      while (data[pos] !== 0x0a) pos++; // a comment
      continue;
    }
    const start = pos;
    while (!/\s/.test(String.fromCharCode(data[pos]!))) pos++;
    fields.push(Number(data.subarray(start, pos).toString('latin1')));
  }
  const [width = 0, height = 0, max = 0] = fields;
  expect(max).toBe(255);
  return { width, height, pixels: data.subarray(pos + 1, pos + 1 + width * height) };
}
