// The people's mediation agreement (人民调解协议书) as a PDF: A4, Noto Sans SC subsets, every label and
// clause a message code rendered in Chinese; parties, facts and terms are data. What art. 29 of the
// People's Mediation Law asks the document to carry is laid out in order, the text wrapped and the
// pages broken as needed (a wage case has scores of applicants), and every page carries a footer
// with the dossier number, the content's SHA-256 and its page number. The same input gives the same
// bytes: dates come from `draftedAt`, font names are fixed and pdf-lib's random numbers are seeded.
import { rgb, type PDFDocument, type PDFFont, type PDFPage } from 'pdf-lib';
import {
  msg,
  renderMessage,
  textsOf,
  type Lang,
  type MessageCode,
  type ParamArgs,
} from '../../../common/messages/index.js';
import { localDate } from '../../../common/worktime.js';
import { canonicalJson, sha256 } from '../../platform/crypto.js';
import { newCjkPdf } from '../../platform/cjk-pdf.js';

export interface AgreementDocument {
  /** e.g. '(2026)临於人调字第15号' */
  dossierNo: string;
  /** e.g. '於潜镇人民调解委员会' */
  organisation: string;
  parties: {
    side: 'applicant' | 'respondent';
    kind: 'person' | 'org';
    name: string;
    /** e.g. '3301**********1234' */
    idNumberMasked: string | null;
    agent: string | null;
  }[];
  /** Facts of the dispute; paragraphs separated by '\n'. */
  facts: string;
  disputedPoints: string;
  obligations: { party: string; what: string; amountYuan: string | null; manner: string; deadline: string }[];
  otherTerms: string | null;
  mediator: string;
  /** 64 lowercase hex characters, printed on every page (see `agreementContentHash`). */
  contentSha256: string;
  /** ISO date-time: the PDF's creation and modification date and the date printed under the seal. */
  draftedAt: string;
}

/** The SHA-256 (hex) of the document's canonical JSON: object keys sorted at every depth, arrays in order. */
export function agreementContentHash(doc: Omit<AgreementDocument, 'contentSha256'>): string {
  // A whole document is assignable to the parameter's type; its own hash is not part of its content.
  const { contentSha256: _ignored, ...content } = doc as Partial<Pick<AgreementDocument, 'contentSha256'>> &
    Omit<AgreementDocument, 'contentSha256'>;
  return sha256(canonicalJson(content));
}

// A legal document in Chinese: the labels are rendered in zh-CN whatever the asker's language.
const LANG: Lang = 'zh-CN';
const t = <C extends MessageCode>(code: C, ...args: ParamArgs<C>): string => {
  const m = msg(code, ...args);
  return renderMessage(m.code, m.params, LANG);
};

// Geometry in points (A4).
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const MARGIN = 56;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
const SIZE = { title: 20, heading: 12.5, body: 11, footer: 8, hash: 7 } as const;
/** Line height as a multiple of the font size. */
const LEADING = 1.65;
/** A signature box with a one-line name: the name and room to sign under it. */
const SIGNATURE_BOX_MIN = SIZE.body * LEADING + SIZE.body * 3;
const INK = rgb(0, 0, 0);
const RULE = rgb(0.45, 0.45, 0.45);

export async function renderAgreementPdf(doc: AgreementDocument): Promise<Buffer> {
  if (!/^[0-9a-f]{64}$/.test(doc.contentSha256))
    throw new Error('contentSha256 must be 64 lowercase hex digits');
  const drafted = new Date(doc.draftedAt);
  // localDate also refuses anything but an ISO instant with a zone, which would print a wrong date.
  const [year = 0, month = 0, day = 0] = localDate(doc.draftedAt).split('-').map(Number);

  // Fixed subset names (LLAGRR, LLAGRB): the same input gives the same bytes.
  const { pdf, regular, bold } = await newCjkPdf('LLAGR');

  pdf.setTitle(t('doc.agreement.pdf_title', { number: doc.dossierNo }), { showInWindowTitleBar: true });
  pdf.setAuthor(doc.organisation);
  pdf.setSubject(t('doc.agreement.pdf_subject', { organisation: doc.organisation }));
  pdf.setKeywords([doc.dossierNo, doc.contentSha256]);
  pdf.setCreator(t('doc.creator'));
  pdf.setProducer('pdf-lib');
  pdf.setLanguage(LANG);
  pdf.setCreationDate(drafted);
  pdf.setModificationDate(drafted);

  const footer = footerLayout(doc, regular);
  const flow = new Flow(pdf, MARGIN + footer.height + SIZE.body);
  const body = { font: regular, size: SIZE.body };

  // Title and dossier number
  flow.line(t('doc.agreement.title'), { font: bold, size: SIZE.title, align: 'center' });
  flow.line(doc.dossierNo, { ...body, align: 'right' });
  flow.gap(SIZE.body * 0.5);

  // Parties: applicants, then respondents
  flow.heading(t('doc.agreement.section.parties'), bold);
  const applicants = doc.parties.filter((p) => p.side === 'applicant');
  const respondents = doc.parties.filter((p) => p.side === 'respondent');
  for (const p of [...applicants, ...respondents]) flow.paragraph(partyLine(p), body);

  flow.heading(t('doc.agreement.section.facts'), bold);
  for (const para of paragraphs(doc.facts)) flow.paragraph(para, { ...body, indent: 2 * SIZE.body });

  flow.heading(t('doc.agreement.section.disputed_points'), bold);
  for (const para of paragraphs(doc.disputedPoints)) flow.paragraph(para, { ...body, indent: 2 * SIZE.body });

  flow.heading(t('doc.agreement.section.terms'), bold);
  flow.paragraph(t('doc.agreement.intro'), { ...body, indent: 2 * SIZE.body });
  doc.obligations.forEach((o, i) => {
    const text = obligationLine(o, i + 1);
    // Later lines hang under the text, not under the number.
    const hang = regular.widthOfTextAtSize(`${i + 1}. `, SIZE.body);
    flow.paragraph(text, { ...body, hang });
  });

  if (doc.otherTerms !== null && doc.otherTerms.trim() !== '') {
    flow.heading(t('doc.agreement.section.other_terms'), bold);
    for (const para of paragraphs(doc.otherTerms)) flow.paragraph(para, { ...body, indent: 2 * SIZE.body });
  }

  flow.heading(t('doc.agreement.section.effect'), bold);
  flow.paragraph(t('doc.agreement.effect'), { ...body, indent: 2 * SIZE.body });

  // Signatures: a box for every party, two to a row, then the mediator beside the committee's seal.
  flow.heading(t('doc.agreement.section.signatures'), bold, SIGNATURE_BOX_MIN + SIZE.body * 0.3);
  flow.gap(SIZE.body * 0.3);
  flow.signatureBoxes(
    [...applicants, ...respondents].map((p) =>
      t('doc.agreement.signature.party', { role: roleOf(p.side), name: p.name }),
    ),
    regular,
  );
  flow.gap(SIZE.body);
  flow.closing(
    {
      mediator: t('doc.agreement.signature.mediator', { name: doc.mediator }),
      signLabel: t('doc.agreement.signature.mediator_line'),
      seal: t('doc.agreement.seal', { organisation: doc.organisation }),
      date: t('doc.date', { year, month, day }),
    },
    regular,
  );

  const pages = pdf.getPages();
  pages.forEach((page, i) => drawFooter(page, footer, regular, i + 1, pages.length));

  return Buffer.from(await pdf.save());
}

// ---------------------------------------------------------------------------------------------------
// Texts

// Labels passed as parameters go as texts: renderMessage translates only some families of codes.
const roleOf = (side: AgreementDocument['parties'][number]['side']) =>
  textsOf(side === 'applicant' ? 'doc.agreement.party.applicant' : 'doc.agreement.party.respondent');

function partyLine(p: AgreementDocument['parties'][number]): string {
  const kind = textsOf(
    p.kind === 'person' ? 'doc.agreement.party.kind.person' : 'doc.agreement.party.kind.org',
  );
  let line = t('doc.agreement.party.line', { role: roleOf(p.side), name: p.name, kind });
  if (p.idNumberMasked)
    line += t(p.kind === 'person' ? 'doc.agreement.party.id_person' : 'doc.agreement.party.id_org', {
      idNumber: p.idNumberMasked,
    });
  if (p.agent) line += t('doc.agreement.party.agent', { agent: p.agent });
  return line;
}

function obligationLine(o: AgreementDocument['obligations'][number], index: number): string {
  let line = t('doc.agreement.obligation.item', { index, party: o.party, what: o.what });
  if (o.amountYuan !== null && o.amountYuan.trim() !== '')
    line += t('doc.agreement.obligation.amount', { amount: o.amountYuan });
  line += t('doc.agreement.obligation.manner', { manner: o.manner });
  line += t('doc.agreement.obligation.deadline', { deadline: o.deadline });
  return line;
}

const paragraphs = (text: string) =>
  text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

// ---------------------------------------------------------------------------------------------------
// Line breaking

/** pdf-lib draws a line feed as a new line over the next one: white space in data is one space. */
const oneLine = (text: string) => text.replace(/\s+/g, ' ');

// Chinese line-breaking rules (禁则): these never start a line …
const NO_LINE_START = /^[，。、；：？！）》」』”’〉】〕…—·％%,.;:?!)\]}]/u;
// … and these never end one.
const NO_LINE_END = /[（《「『“‘〈【〔([{]$/u;

/**
 * The pieces a line may break between: a run of printable ASCII (a word, a number, a masked ID) stays
 * whole, any other character (CJK) stands alone, and the punctuation above sticks to its neighbour.
 */
function breakUnits(text: string): string[] {
  const units: string[] = [];
  for (const [piece] of text.matchAll(/[\x21-\x7e]+|\s+|./gsu)) {
    if (/^\s/.test(piece)) {
      // Any run of white space (a line feed in a name, a tab) is one space: a line is drawn as one line.
      if (units.at(-1) !== ' ') units.push(' ');
      continue;
    }
    const last = units.at(-1);
    if (last !== undefined && last !== ' ' && (NO_LINE_END.test(last) || NO_LINE_START.test(piece)))
      units[units.length - 1] = last + piece;
    else units.push(piece);
  }
  return units;
}

/** Widths at size 1 of the pieces already measured, per font: one document measures thousands. */
class Measure {
  private readonly widths = new Map<PDFFont, Map<string, number>>();

  width(font: PDFFont, text: string, size: number): number {
    let cache = this.widths.get(font);
    if (!cache) {
      cache = new Map<string, number>();
      this.widths.set(font, cache);
    }
    let w = cache.get(text);
    if (w === undefined) cache.set(text, (w = font.widthOfTextAtSize(text, 1)));
    return w * size;
  }
}

/** `text` in lines that fit `width`, the first line `firstIndent` narrower, the others `restIndent`. */
function wrap(
  m: Measure,
  text: string,
  font: PDFFont,
  size: number,
  width: number,
  firstIndent = 0,
  restIndent = 0,
): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  const room = () => width - (lines.length === 0 ? firstIndent : restIndent);
  const flush = () => {
    lines.push(line.trimEnd());
    line = '';
    used = 0;
  };
  for (const unit of breakUnits(text)) {
    const isSpace = /^\s+$/.test(unit);
    if (isSpace && line === '') continue; // no line starts with a space
    const w = m.width(font, unit, size);
    if (used + w <= room()) {
      line += unit;
      used += w;
      continue;
    }
    if (isSpace) {
      flush();
      continue;
    }
    if (line !== '') flush();
    if (w <= room()) {
      line = unit;
      used = w;
      continue;
    }
    // Wider than a whole line (a long number or URL): cut it between characters.
    for (const ch of unit) {
      const cw = m.width(font, ch, size);
      if (used + cw > room() && line !== '') flush();
      line += ch;
      used += cw;
    }
  }
  if (line !== '' || lines.length === 0) flush();
  return lines;
}

// ---------------------------------------------------------------------------------------------------
// Pages

interface TextStyle {
  font: PDFFont;
  size: number;
  align?: 'left' | 'center' | 'right';
  /** First-line indent. */
  indent?: number;
  /** Indent of every line but the first. */
  hang?: number;
}

/** Text flowing down the pages, a new page whenever the next line would run into the footer. */
class Flow {
  private page!: PDFPage;
  /** The top of the next line. */
  private y = 0;
  private readonly measure = new Measure();

  constructor(
    private readonly pdf: PDFDocument,
    /** The lowest a line may reach. */
    private readonly bottom: number,
  ) {
    this.newPage();
  }

  private newPage() {
    this.page = this.pdf.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
    this.y = PAGE_HEIGHT - MARGIN;
  }

  /** Starts a new page unless `height` fits on this one. */
  keepTogether(height: number) {
    if (this.y - height < this.bottom) this.newPage();
  }

  gap(height: number) {
    this.y -= height;
  }

  line(raw: string, style: TextStyle, x0 = MARGIN, width = CONTENT_WIDTH) {
    const text = oneLine(raw);
    const lineHeight = style.size * LEADING;
    this.keepTogether(lineHeight);
    const w = this.measure.width(style.font, text, style.size);
    const x = style.align === 'center' ? x0 + (width - w) / 2 : style.align === 'right' ? x0 + width - w : x0;
    this.page.drawText(text, {
      x,
      y: this.baseline(style.size),
      font: style.font,
      size: style.size,
      color: INK,
    });
    this.y -= lineHeight;
  }

  paragraph(text: string, style: TextStyle) {
    const first = style.indent ?? 0;
    const rest = style.hang ?? 0;
    const lines = wrap(this.measure, text, style.font, style.size, CONTENT_WIDTH, first, rest);
    lines.forEach((l, i) =>
      this.line(l, style, MARGIN + (i === 0 ? first : rest), CONTENT_WIDTH - (i === 0 ? first : rest)),
    );
  }

  /** A section heading, kept on the page of what follows it (`next` high: a line by default). */
  heading(text: string, bold: PDFFont, next = SIZE.body * LEADING) {
    this.gap(SIZE.body * 0.4);
    this.keepTogether(SIZE.heading * LEADING + next);
    this.line(text, { font: bold, size: SIZE.heading });
  }

  /**
   * A table of boxes, two to a row, each with a signer's name at its top and room below to sign, seal
   * or press a fingerprint; a row is never split across pages.
   */
  signatureBoxes(names: string[], font: PDFFont) {
    const size = SIZE.body;
    const lineHeight = size * LEADING;
    const pad = size * 0.4;
    const colWidth = CONTENT_WIDTH / 2;
    const room = SIGNATURE_BOX_MIN - lineHeight; // for the hand, under the name
    for (let i = 0; i < names.length; i += 2) {
      const cells = names.slice(i, i + 2).map((n) => wrap(this.measure, n, font, size, colWidth - 2 * pad));
      const height = Math.max(...cells.map((c) => c.length)) * lineHeight + room;
      this.keepTogether(height);
      const top = this.y;
      cells.forEach((lines, col) => {
        const x = MARGIN + col * colWidth;
        this.page.drawRectangle({
          x,
          y: top - height,
          width: colWidth,
          height,
          borderColor: INK,
          borderWidth: 0.6,
        });
        lines.forEach((l, j) =>
          this.page.drawText(l, {
            x: x + pad,
            y: this.baseline(size, top - j * lineHeight),
            font,
            size,
            color: INK,
          }),
        );
      });
      this.y = top - height;
    }
  }

  /**
   * The mediator's name and a line to sign on at the left; the committee's name, where its seal
   * goes, and the date at the right. Kept on one page.
   */
  closing(c: { mediator: string; signLabel: string; seal: string; date: string }, font: PDFFont) {
    const size = SIZE.body;
    const lineHeight = size * LEADING;
    const colWidth = CONTENT_WIDTH / 2;
    const left = wrap(this.measure, c.mediator, font, size, colWidth - size);
    const right = wrap(this.measure, c.seal, font, size, colWidth - size);
    const headLines = Math.max(left.length, right.length);
    const room = size * 2.5; // between the names and the signature line, for the hand and the seal
    this.keepTogether(headLines * lineHeight + room + lineHeight);
    const top = this.y;
    const draw = (text: string, x: number, lineTop: number) =>
      this.page.drawText(text, { x, y: this.baseline(size, lineTop), font, size, color: INK });
    left.forEach((l, j) => draw(l, MARGIN, top - j * lineHeight));
    right.forEach((l, j) =>
      draw(l, PAGE_WIDTH - MARGIN - this.measure.width(font, l, size), top - j * lineHeight),
    );
    const footTop = top - headLines * lineHeight - room;
    draw(c.signLabel, MARGIN, footTop);
    const lineY = this.baseline(size, footTop) - 2;
    this.page.drawLine({
      start: { x: MARGIN + this.measure.width(font, c.signLabel, size) + 2, y: lineY },
      end: { x: MARGIN + colWidth - size, y: lineY },
      thickness: 0.6,
      color: INK,
    });
    draw(c.date, PAGE_WIDTH - MARGIN - this.measure.width(font, c.date, size), footTop);
    this.y = footTop - lineHeight;
  }

  /** The baseline of a line whose box starts at `top`: the glyphs centred in the box. */
  private baseline(size: number, top = this.y) {
    return top - (size * LEADING + size) / 2 - size * 0.12;
  }
}

// ---------------------------------------------------------------------------------------------------
// Footer

interface FooterLayout {
  number: string;
  hashLines: string[];
  /** From the bottom margin up to the rule above the footer. */
  height: number;
}

function footerLayout(doc: AgreementDocument, font: PDFFont): FooterLayout {
  const hashText = t('doc.footer.content_hash', { algorithm: 'SHA-256', hash: doc.contentSha256 });
  const hashLines = wrap(new Measure(), hashText, font, SIZE.hash, CONTENT_WIDTH);
  const height = SIZE.footer * LEADING + hashLines.length * SIZE.hash * LEADING + SIZE.footer * 0.5;
  return { number: t('doc.footer.number', { number: doc.dossierNo }), hashLines, height };
}

function drawFooter(page: PDFPage, f: FooterLayout, font: PDFFont, n: number, total: number) {
  const ruleY = MARGIN + f.height;
  page.drawLine({
    start: { x: MARGIN, y: ruleY },
    end: { x: PAGE_WIDTH - MARGIN, y: ruleY },
    thickness: 0.5,
    color: RULE,
  });
  let y = ruleY - SIZE.footer * 0.5 - SIZE.footer * 1.2;
  page.drawText(oneLine(f.number), { x: MARGIN, y, font, size: SIZE.footer, color: INK });
  const pageText = t('doc.footer.page', { page: n, pages: total });
  const w = font.widthOfTextAtSize(pageText, SIZE.footer);
  page.drawText(pageText, { x: PAGE_WIDTH - MARGIN - w, y, font, size: SIZE.footer, color: INK });
  for (const l of f.hashLines) {
    y -= SIZE.hash * LEADING;
    page.drawText(l, { x: MARGIN, y, font, size: SIZE.hash, color: INK });
  }
}
