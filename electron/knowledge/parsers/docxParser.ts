import mammoth from 'mammoth';
import { AresError } from '../../../shared/errors.js';
import type { KnowledgeLimits } from '../limits.js';
import { parseHtml } from './htmlParser.js';
import type { ParsedSection } from './parsedFile.js';
import { checkArchive } from './zipGuard.js';

/** DOCX through mammoth's HTML (which keeps headings, lists, tables, text boxes and footnotes). */
export async function parseDocx(bytes: Uint8Array, name: string, limits: KnowledgeLimits): Promise<ParsedSection[]> {
  await checkArchive(bytes, name, limits, /^(word\/document\d*\.xml|\[Content_Types\]\.xml)$/);
  let html: string;
  try {
    const result = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
    // Footnote back-links render as arrows, which are noise in search results.
    html = result.value.replace(/<a href="#[^"]*-ref-[^"]*">↑<\/a>/g, '');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AresError('FILE_UNREADABLE', `"${name}" is not a readable DOCX document (${reason}).`);
  }
  if (html.length > limits.maximumExtractedCharacters * 2) {
    throw new AresError('FILE_UNREADABLE', `"${name}" holds more text than the limit of ${limits.maximumExtractedCharacters} characters.`);
  }
  const sections = parseHtml(html);
  if (sections.length === 0) throw new AresError('FILE_UNREADABLE', `"${name}" contains no text.`);
  return sections;
}
