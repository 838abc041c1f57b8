// Chinese PDFs (an agreement, a volunteer's certificate): a pdf-lib document with Noto Sans SC
// regular and bold embedded as subsets, through upstream fontkit (fontkit-adapter.ts says why).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PDFDocument, type PDFFont } from 'pdf-lib';
import { fontkitAdapter } from './fontkit-adapter.js';

// The font files, read once per process (about 10 MB each); pdf-lib keeps only the glyphs used.
interface FontFiles {
  regular: Uint8Array;
  bold: Uint8Array;
}
let fontFiles: Promise<FontFiles> | undefined;

function loadFonts(): Promise<FontFiles> {
  if (!fontFiles) {
    // Resolved through the package, so it works from any working directory.
    const dir = path.dirname(
      createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans-sc/package.json'),
    );
    fontFiles = Promise.all([
      readFile(path.join(dir, '400Regular', 'NotoSansSC_400Regular.ttf')),
      readFile(path.join(dir, '700Bold', 'NotoSansSC_700Bold.ttf')),
    ]).then(([regular, bold]) => ({ regular, bold }));
    // A failed read is not cached: the next document tries again.
    fontFiles.catch(() => (fontFiles = undefined));
  }
  return fontFiles;
}

/**
 * A new document with both fonts embedded. `tag` is six capital letters naming the subsets: fixed
 * names, because pdf-lib would otherwise add a random suffix and the same input would not give the
 * same bytes. No metadata of pdf-lib's own either: it would stamp the current time.
 */
export async function newCjkPdf(tag: string): Promise<{ pdf: PDFDocument; regular: PDFFont; bold: PDFFont }> {
  if (!/^[A-Z]{5}$/.test(tag)) throw new Error('a subset tag is five capital letters (R or B is added)');
  const files = await loadFonts();
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.registerFontkit(fontkitAdapter);
  const regular = await pdf.embedFont(files.regular, {
    subset: true,
    customName: `${tag}R+NotoSansSC-Regular`,
  });
  const bold = await pdf.embedFont(files.bold, { subset: true, customName: `${tag}B+NotoSansSC-Bold` });
  return { pdf, regular, bold };
}
