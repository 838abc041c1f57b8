// fontkit 2 ships no types. Declared here: what fontkit-adapter.ts uses. Its fonts have the API pdf-lib
// typed for its fork (pdf-lib's `Font`), except the subset, which encodes in one go.
declare module 'fontkit' {
  import type { PDFDocument } from 'pdf-lib';

  type PdfLibFont = ReturnType<Parameters<PDFDocument['registerFontkit']>[0]['create']>;

  export interface Subset {
    /** The glyph's id in the subset (0 is the missing glyph, always included). */
    includeGlyph(glyph: number | { readonly id: number }): number;
    /** The subset as a font file: TrueType for glyf fonts. */
    encode(): Uint8Array;
  }

  export interface Font extends Omit<PdfLibFont, 'createSubset'> {
    createSubset(): Subset;
  }

  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
