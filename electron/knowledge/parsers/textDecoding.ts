import chardet from 'chardet';
import iconv from 'iconv-lite';
import { AresError } from '../../../shared/errors.js';

/**
 * Decodes a text file: a byte-order mark wins, then strict UTF-8, then chardet's guess (UTF-16
 * without a mark, Latin-1 and other legacy encodings), with Windows-1252 as the last resort.
 */
export function decodeText(bytes: Uint8Array, name: string): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let text: string;
  if (buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) text = buffer.subarray(3).toString('utf8');
  else if (buffer.length >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) text = iconv.decode(buffer.subarray(2), 'utf-16le');
  else if (buffer.length >= 2 && buffer[0] === 0xfe && buffer[1] === 0xff) text = iconv.decode(buffer.subarray(2), 'utf-16be');
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
    } catch {
      const guess = chardet.detect(buffer.subarray(0, 64 * 1024));
      const encoding = guess && iconv.encodingExists(guess) ? guess : 'windows-1252';
      text = iconv.decode(buffer, encoding);
    }
  }
  // A NUL inside decoded text means the bytes were not text at all (or an unmarked UTF-16 we misread).
  if (text.includes('\u0000')) {
    const guess = chardet.detect(buffer.subarray(0, 64 * 1024));
    if (guess && /^UTF-16/i.test(guess)) text = iconv.decode(buffer, guess.toLowerCase());
    if (text.includes('\u0000')) throw new AresError('FILE_UNREADABLE', `"${name}" looks like a binary file, not text.`);
  }
  return text.replace(/\r\n?/g, '\n');
}

/** Collapses runs of spaces and blank lines that extraction leaves behind. */
export function tidyWhitespace(text: string): string {
  return text
    .replace(/[\t\f\v\u00a0 ]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
