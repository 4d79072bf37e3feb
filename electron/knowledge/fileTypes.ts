import { extname } from 'node:path';
import { AresError } from '../../shared/errors.js';
import type { FileType } from '../../shared/schemas/knowledge.js';

const byExtension: Record<string, FileType> = {
  '.pdf': 'pdf',
  '.docx': 'docx',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.txt': 'text',
  '.text': 'text',
  '.csv': 'csv',
  '.tsv': 'csv',
  '.xlsx': 'xlsx',
  '.json': 'json',
};

export const supportedExtensions = Object.keys(byExtension);

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((byte, index) => bytes[index] === byte);
}

/**
 * The type comes from the extension, checked against the content's signature where formats have
 * one, so a renamed file fails with a clear reason instead of deep inside a parser.
 */
export function detectFileType(name: string, bytes: Uint8Array): FileType {
  const extension = extname(name).toLowerCase();
  const fileType = byExtension[extension];
  if (!fileType) {
    throw new AresError(
      'UNSUPPORTED_FILE_TYPE',
      `"${name}" has an unsupported type (${extension || 'no extension'}). Supported: ${supportedExtensions.join(', ')}.`,
    );
  }
  const isZip = startsWith(bytes, [0x50, 0x4b]);
  // Readers accept junk before the header within the first kilobyte, so we do too.
  if (fileType === 'pdf' && !Buffer.from(bytes.subarray(0, 1024)).includes('%PDF-')) {
    throw new AresError('FILE_UNREADABLE', `"${name}" is not a PDF: it does not start with a PDF header.`);
  }
  if ((fileType === 'docx' || fileType === 'xlsx') && !isZip) {
    const what = startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0]) ? 'an old binary Office file (save it as .' + fileType + ' first)' : 'not a ZIP-based Office file';
    throw new AresError('FILE_UNREADABLE', `"${name}" is ${what}.`);
  }
  return fileType;
}
