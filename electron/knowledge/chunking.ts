import type { ChunkLocation } from '../../shared/schemas/knowledge.js';
import type { ParsedSection } from './parsers/parsedFile.js';

export interface ChunkingOptions {
  /** Measured in the embedding model's own tokens, so no chunk is silently truncated by it. */
  maximumTokens: number;
  overlapTokens: number;
}

export const defaultChunkingOptions: ChunkingOptions = { maximumTokens: 200, overlapTokens: 32 };

export interface ChunkDraft {
  text: string;
  tokenCount: number;
  location: ChunkLocation;
}

interface Unit {
  start: number;
  end: number;
  tokens: number;
}

// Sentences (Latin and CJK punctuation) and line breaks are the places a chunk may end.
const sentencePattern = /[^\n.!?。！？]*(?:[.!?。！？]+["')\]]*|\n+|$)\s*/gu;

function sentenceUnits(text: string, countTokens: (text: string) => number, maximumTokens: number): Unit[] {
  const units: Unit[] = [];
  for (const match of text.matchAll(sentencePattern)) {
    if (match[0].length === 0) continue;
    const start = match.index;
    const end = start + match[0].length;
    const tokens = countTokens(match[0]);
    if (tokens <= maximumTokens) units.push({ start, end, tokens });
    else units.push(...splitLongUnit(text, start, end, tokens, countTokens, maximumTokens));
  }
  return units;
}

/** A sentence longer than a chunk (a table row, a list without punctuation) is cut at word boundaries. */
function splitLongUnit(text: string, start: number, end: number, tokens: number, countTokens: (text: string) => number, maximumTokens: number): Unit[] {
  const units: Unit[] = [];
  const pieces = Math.ceil(tokens / maximumTokens) + 1;
  const target = Math.ceil((end - start) / pieces);
  let cursor = start;
  while (cursor < end) {
    let cut = Math.min(end, cursor + target);
    if (cut < end) {
      const space = text.lastIndexOf(' ', cut);
      if (space > cursor + target / 2) cut = space + 1;
    }
    const piece = text.slice(cursor, cut);
    const pieceTokens = countTokens(piece);
    if (pieceTokens > maximumTokens && cut - cursor > 1) {
      units.push(...splitLongUnit(text, cursor, cut, pieceTokens, countTokens, maximumTokens));
    } else units.push({ start: cursor, end: cut, tokens: pieceTokens });
    cursor = cut;
  }
  return units;
}

/**
 * Packs each section's sentences into chunks of at most `maximumTokens`, repeating about
 * `overlapTokens` of the previous chunk's end so a fact that straddles a boundary is found from
 * either side. Chunks never cross sections, so each keeps one page or heading path.
 */
export function chunkSections(sections: ParsedSection[], countTokens: (text: string) => number, options: ChunkingOptions = defaultChunkingOptions): ChunkDraft[] {
  const chunks: ChunkDraft[] = [];
  for (const section of sections) {
    const units = sentenceUnits(section.text, countTokens, options.maximumTokens);
    let index = 0;
    while (index < units.length) {
      let tokens = 0;
      let last = index;
      while (last < units.length && (last === index || tokens + units[last]!.tokens <= options.maximumTokens)) {
        tokens += units[last]!.tokens;
        last += 1;
      }
      const start = units[index]!.start;
      const end = units[last - 1]!.end;
      const text = section.text.slice(start, end).trim();
      if (text) {
        const location: ChunkLocation = { start, end };
        if (section.page !== undefined) location.page = section.page;
        if (section.headingPath !== undefined) location.headingPath = section.headingPath;
        if (section.row !== undefined) location.row = section.row;
        chunks.push({ text, tokenCount: tokens, location });
      }
      if (last >= units.length) break;
      // Step back over whole sentences worth up to the overlap, but always move forward.
      let next = last;
      let overlap = 0;
      while (next - 1 > index && overlap + units[next - 1]!.tokens <= options.overlapTokens) {
        overlap += units[next - 1]!.tokens;
        next -= 1;
      }
      index = next;
    }
  }
  return chunks;
}
