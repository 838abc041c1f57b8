// pdf-lib embeds custom fonts through the fontkit it is handed. Its own fork (@pdf-lib/fontkit)
// writes CJK subsets whose glyphs render blank (the text still extracts), so upstream fontkit 2 is
// handed instead, adapted to the calls pdf-lib makes: `create(bytes)`, then `layout()` and
// `createSubset()` on the font, then `includeGlyph()` and `encodeStream()` on the subset — fontkit 2's
// subset has `encode()`, returning the font file at once.
import { Readable } from 'node:stream';
import { create, type Font, type Subset } from 'fontkit';
import type { PDFDocument } from 'pdf-lib';

type PdfLibFontkit = Parameters<PDFDocument['registerFontkit']>[0];
type PdfLibFont = ReturnType<PdfLibFontkit['create']>;
type PdfLibSubset = ReturnType<PdfLibFont['createSubset']>;

// Each document parses its own font (cheap: fontkit reads tables lazily). A parsed font must not be
// shared: fontkit caches a glyph with the first character that reached it, and pdf-lib writes that
// character into the text layer, so where characters share a glyph ('·' and '•', U+00B7 and U+2022)
// a shared font would make a document's bytes, and what its text extracts as, depend on the documents
// rendered before it in the process.
export const fontkitAdapter: PdfLibFontkit = {
  create: (bytes, postscriptName) => adaptFont(create(bytes, postscriptName)),
};

function adaptFont(font: Font): PdfLibFont {
  // pdf-lib would embed a CFF subset as TrueType (it asks the subset, not the font, whether it is CFF).
  if (font.cff) throw new Error('fontkit adapter: only TrueType (glyf) fonts are supported');
  // Only createSubset differs; everything else is read from the font itself, so fontkit's cached
  // getters and its `this` stay on the real object.
  const adapted = new Proxy(font, {
    get: (target, prop) =>
      prop === 'createSubset'
        ? () => adaptSubset(target.createSubset())
        : (Reflect.get(target, prop, target) as unknown),
  });
  // The proxy's createSubset is the adapted one, which the target's type cannot say.
  return adapted as unknown as PdfLibFont;
}

function adaptSubset(subset: Subset): PdfLibSubset {
  return {
    includeGlyph: (glyph) => subset.includeGlyph(glyph),
    // pdf-lib listens for 'data', 'end' and 'error' right after the call, so the bytes are handed over
    // as a one-chunk stream that starts flowing on a later tick.
    encodeStream: () => Readable.from([subset.encode()], { objectMode: true }),
  };
}
