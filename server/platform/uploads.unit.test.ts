// What an uploaded file is, by its bytes (the file-type sniffer), whatever its name says; the name as
// kept; the download's name. Pure: the upload routes are tested through the API in events and command.
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../common/limits.js';
import { officePackage, storedZip } from '../test/files.js';
import { attachmentDisposition, cleanFileName, sniffFile, sniffImage, stripJpegMetadata } from './uploads.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]);
const WEBP = Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 ', 'latin1');
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);
const EXE = Buffer.concat([Buffer.from('MZ\u0090\u0000', 'latin1'), Buffer.alloc(200, 1)]);
const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

describe('uploads', () => {
  it('knows a photo by its bytes, not its name', async () => {
    expect(await sniffImage(PNG)).toBe('image/png');
    expect(await sniffImage(JPEG)).toBe('image/jpeg');
    expect(await sniffImage(WEBP)).toBe('image/webp');
    expect(await sniffImage(Buffer.from('GIF89a'))).toBeNull();
    expect(await sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(await sniffImage(PDF)).toBeNull();
    expect(await sniffImage(Buffer.alloc(0))).toBeNull();
  });

  it('knows an attachment by its bytes; an Office package only under its own extension', async () => {
    expect(await sniffFile(PDF, 'x.pdf')).toBe('application/pdf');
    expect(await sniffFile(PNG, 'x.bin')).toBe('image/png');
    expect(await sniffFile(officePackage('docx'), '表.docx')).toBe(DOCX_MIME);
    expect(await sniffFile(officePackage('xlsx'), '表.XLSX')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(await sniffFile(officePackage('pptx'), 'slides.pptx')).toBe(
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    );
    expect(await sniffFile(officePackage('docx'), 'a.zip')).toBeNull();
    expect(await sniffFile(officePackage('docx'), 'a.xlsx')).toBeNull();
    // A ZIP without the package's content types is no Office file whatever its name.
    expect(await sniffFile(storedZip([{ name: 'word/document.xml', data: '<x/>' }]), 'a.docx')).toBeNull();
    expect(await sniffFile(Buffer.from('PK\u0003\u0004plain zip', 'latin1'), 'a.docx')).toBeNull();
    expect(await sniffFile(Buffer.from('各网格今日排查人数：12\n', 'utf8'), 'note.txt')).toBe('text/plain');
    expect(await sniffFile(Buffer.from('text\u0000with nul'), 'note.txt')).toBeNull();
    expect(await sniffFile(Buffer.from([0xc3, 0x28]), 'note.txt')).toBeNull();
    expect(await sniffFile(Buffer.from('plain'), 'note.md')).toBeNull();
    expect(await sniffFile(EXE, 'report.pdf')).toBeNull();
    expect(await sniffFile(EXE, 'report.txt')).toBeNull();
  });

  it('drops a JPEG’s metadata segments and keeps the picture', () => {
    const exif = Buffer.concat([
      Buffer.from([0xff, 0xe1, 0x00, 0x08]),
      Buffer.from('Exif\u0000\u0000', 'latin1'),
    ]);
    const icc = Buffer.from([0xff, 0xe2, 0x00, 0x04, 0x01, 0x02]);
    const scan = Buffer.from([0xff, 0xda, 0x00, 0x02, 0x11, 0x22, 0xff, 0xd9]);
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8]), exif, icc, scan]);
    expect(stripJpegMetadata(jpeg)).toEqual(Buffer.concat([Buffer.from([0xff, 0xd8]), icc, scan]));
  });

  it('cleans a name and names a download per RFC 5987', () => {
    expect(cleanFileName('C:\\Users\\me\\..\\排查表.docx')).toBe('排查表.docx');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('a\u0007b.txt')).toBe('ab.txt');
    expect(cleanFileName('')).toBe('file');
    const long = cleanFileName(`${'长'.repeat(300)}.pdf`);
    expect([...long]).toHaveLength(LIMITS.fileName);
    expect(long.endsWith('.pdf')).toBe(true);
    expect(attachmentDisposition("排查 (1)'.pdf")).toBe(
      `attachment; filename="__ (1)'.pdf"; filename*=UTF-8''%E6%8E%92%E6%9F%A5%20%281%29%27.pdf`,
    );
  });
});
