// A PDF's text by poppler's pdftotext, for the suites and journeys that read an agreement, a
// certificate or any answer that is a PDF: the one place that says how, and what to install when
// it is missing.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The text of a PDF, given as its bytes or as a file's path. */
export function pdfText(pdf: Buffer | string): string {
  if (typeof pdf === 'string') return run(pdf);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-pdf-'));
  const file = path.join(dir, 'a.pdf');
  fs.writeFileSync(file, pdf);
  try {
    return run(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function run(file: string): string {
  try {
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error(
        'pdftotext was not found: the tests read PDFs with it. Install poppler-utils (apt-get install poppler-utils).',
        { cause: e },
      );
    throw e;
  }
}
