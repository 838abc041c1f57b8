// A volunteer's service certificate (志愿服务证明): one A4 page in Chinese, Noto Sans SC embedded,
// carrying the volunteer's name, organisation, hours in all and by year, the issuing district, the
// date and a serial. Every label is a message code rendered in Chinese (a document for people in
// China, whatever the asker's language); names and figures are data.
import { rgb } from 'pdf-lib';
import { minutesToHours } from '../../../common/contracts/services-codes.js';
import { msg, renderMessage, type MessageCode, type ParamArgs } from '../../../common/messages/index.js';
import { localDate } from '../../../common/worktime.js';
import { newCjkPdf } from '../../platform/cjk-pdf.js';

export interface CertificateDocument {
  id: number;
  name: string;
  org: string | null;
  district: string;
  minutes: number;
  years: { year: string; minutes: number }[];
  /** ISO instant: the date printed and the PDF's dates. */
  issuedAt: string;
}

const t = <C extends MessageCode>(code: C, ...args: ParamArgs<C>): string => {
  const m = msg(code, ...args);
  return renderMessage(m.code, m.params, 'zh-CN');
};
const hours = (minutes: number) => minutesToHours(minutes).toFixed(1);

const W = 595.28;
const H = 841.89;
const INK = rgb(0, 0, 0);
const RED = rgb(0.72, 0.11, 0.11);

export async function renderCertificatePdf(doc: CertificateDocument): Promise<Buffer> {
  const { pdf, regular, bold } = await newCjkPdf('LLCRT');
  const issued = new Date(doc.issuedAt);
  const [y, m, d] = localDate(doc.issuedAt).split('-').map(Number) as [number, number, number];
  pdf.setTitle(t('doc.certificate.title'));
  pdf.setAuthor(doc.district);
  pdf.setCreator(t('doc.creator'));
  pdf.setProducer('pdf-lib');
  pdf.setLanguage('zh-CN');
  pdf.setCreationDate(issued);
  pdf.setModificationDate(issued);
  const page = pdf.addPage([W, H]);
  const centre = (text: string, size: number, yy: number, font = regular, color = INK) =>
    page.drawText(text, { x: (W - font.widthOfTextAtSize(text, size)) / 2, y: yy, size, font, color });
  page.drawRectangle({ x: 36, y: 36, width: W - 72, height: H - 72, borderColor: RED, borderWidth: 2 });
  centre(t('doc.certificate.title'), 28, H - 140, bold, RED);
  centre(
    t('doc.certificate.serial', { serial: `LLZY-${y}-${String(doc.id).padStart(6, '0')}` }),
    10,
    H - 170,
  );
  let yy = H - 250;
  const para = (text: string, size = 14) => {
    // Wrap by width, character by character (Chinese has no spaces to break at).
    const max = W - 2 * 90;
    let line = '';
    for (const ch of text) {
      if (regular.widthOfTextAtSize(line + ch, size) > max) {
        page.drawText(line, { x: 90, y: yy, size, font: regular, color: INK });
        yy -= size * 1.8;
        line = '';
      }
      line += ch;
    }
    if (line) page.drawText(line, { x: 90, y: yy, size, font: regular, color: INK });
    yy -= size * 1.8;
  };
  para(
    doc.org
      ? t('doc.certificate.body_org', { name: doc.name, org: doc.org, hours: hours(doc.minutes) })
      : t('doc.certificate.body', { name: doc.name, hours: hours(doc.minutes) }),
  );
  yy -= 10;
  for (const yr of doc.years)
    para(t('doc.certificate.year', { year: yr.year, hours: hours(yr.minutes) }), 12);
  yy -= 20;
  para(t('doc.certificate.thanks'));
  page.drawText(doc.district, {
    x: W - 90 - regular.widthOfTextAtSize(doc.district, 14),
    y: 200,
    size: 14,
    font: regular,
  });
  const date = t('doc.certificate.date', { year: y, month: m, day: d });
  page.drawText(date, { x: W - 90 - regular.widthOfTextAtSize(date, 14), y: 175, size: 14, font: regular });
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}
