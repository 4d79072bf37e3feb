import { AresError } from '../../../shared/errors.js';
import type { FileType } from '../../../shared/schemas/knowledge.js';
import { formatBytes, type KnowledgeLimits } from '../limits.js';
import { parseCsvCatalog, parseJsonCatalog, parseXlsxCatalog } from './catalogParser.js';
import type { CatalogMappingRequest } from './columnMapping.js';
import { parseDocx } from './docxParser.js';
import { parseHtml } from './htmlParser.js';
import { parseMarkdown } from './markdownParser.js';
import type { ParsedFile } from './parsedFile.js';
import { parsePdf } from './pdfParser.js';
import { decodeText, tidyWhitespace } from './textDecoding.js';

/** Reads one file of a known type into located sections (and products, for catalogs). */
export async function parseFile(bytes: Uint8Array, name: string, fileType: FileType, limits: KnowledgeLimits, mapping: CatalogMappingRequest = {}): Promise<ParsedFile> {
  if (bytes.byteLength > limits.maximumFileBytes) {
    throw new AresError('FILE_TOO_LARGE', `"${name}" is ${formatBytes(bytes.byteLength)}; the limit is ${formatBytes(limits.maximumFileBytes)}.`);
  }
  const textOf = () => {
    const text = decodeText(bytes, name);
    if (text.length > limits.maximumExtractedCharacters) {
      throw new AresError('FILE_UNREADABLE', `"${name}" holds more text than the limit of ${limits.maximumExtractedCharacters} characters.`);
    }
    return text;
  };
  let parsed: ParsedFile;
  switch (fileType) {
    case 'pdf':
      parsed = { fileType, sections: await parsePdf(bytes, name, limits), products: [] };
      break;
    case 'docx':
      parsed = { fileType, sections: await parseDocx(bytes, name, limits), products: [] };
      break;
    case 'markdown':
      parsed = { fileType, sections: parseMarkdown(textOf()), products: [] };
      break;
    case 'html':
      parsed = { fileType, sections: parseHtml(textOf()), products: [] };
      break;
    case 'text': {
      const text = tidyWhitespace(textOf());
      parsed = { fileType, sections: text ? [{ text }] : [], products: [] };
      break;
    }
    case 'csv':
      parsed = parseCsvCatalog(textOf(), name, limits, mapping);
      break;
    case 'xlsx':
      parsed = await parseXlsxCatalog(bytes, name, limits, mapping);
      break;
    case 'json':
      parsed = parseJsonCatalog(textOf(), name, limits, mapping);
      break;
  }
  if (parsed.sections.length === 0) throw new AresError('FILE_UNREADABLE', `"${name}" contains no text.`);
  return parsed;
}
