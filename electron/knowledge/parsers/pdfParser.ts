import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AresError } from '../../../shared/errors.js';
import type { KnowledgeLimits } from '../limits.js';
import type { ParsedSection } from './parsedFile.js';
import { tidyWhitespace } from './textDecoding.js';

interface TextItem {
  str?: string;
  hasEOL?: boolean;
}

const require = createRequire(import.meta.url);
// CJK and other non-embedded fonts need pdf.js's character maps to turn glyphs back into text.
const pdfjsRoot = dirname(require.resolve('pdfjs-dist/package.json'));
const cMapUrl = `${join(pdfjsRoot, 'cmaps')}/`;
const standardFontDataUrl = `${join(pdfjsRoot, 'standard_fonts')}/`;

/** One section per page, so every chunk can cite its page. Runs in the embedding worker. */
export async function parsePdf(bytes: Uint8Array, name: string, limits: KnowledgeLimits): Promise<ParsedSection[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    cMapUrl,
    cMapPacked: true,
    standardFontDataUrl,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  let document;
  try {
    document = await task.promise;
  } catch (error) {
    await task.destroy().catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof Error && error.name === 'PasswordException') {
      throw new AresError('FILE_UNREADABLE', `"${name}" is protected with a password. Remove the password and import it again.`);
    }
    throw new AresError('FILE_UNREADABLE', `"${name}" is not a readable PDF (${message}).`);
  }
  try {
    if (document.numPages > limits.maximumPdfPages) {
      throw new AresError('FILE_UNREADABLE', `"${name}" has ${document.numPages} pages; the limit is ${limits.maximumPdfPages}.`);
    }
    const sections: ParsedSection[] = [];
    let characters = 0;
    let failedPages = 0;
    for (let pageNumber = 1; pageNumber <= document.numPages; pageNumber += 1) {
      let text = '';
      try {
        const page = await document.getPage(pageNumber);
        const content = await page.getTextContent();
        for (const item of content.items as TextItem[]) {
          text += item.str ?? '';
          if (item.hasEOL) text += '\n';
          else if (item.str && !item.str.endsWith(' ')) text += ' ';
        }
        page.cleanup();
      } catch {
        // One damaged page should not cost the rest of the document.
        failedPages += 1;
        continue;
      }
      const tidy = tidyWhitespace(text);
      characters += tidy.length;
      if (characters > limits.maximumExtractedCharacters) {
        throw new AresError('FILE_UNREADABLE', `"${name}" holds more text than the limit of ${limits.maximumExtractedCharacters} characters.`);
      }
      if (tidy) sections.push({ text: tidy, page: pageNumber });
    }
    if (sections.length === 0) {
      const reason = failedPages > 0 ? `none of its ${document.numPages} pages could be read` : 'it has no text layer (a scanned image?); text recognition (OCR) is not supported';
      throw new AresError('FILE_UNREADABLE', `"${name}" gave no text: ${reason}.`);
    }
    return sections;
  } finally {
    await document.destroy().catch(() => undefined);
  }
}

