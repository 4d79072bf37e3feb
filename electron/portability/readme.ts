import type { Manifest } from '../../shared/schemas/portability.js';
import type { ExportSection } from './sections/exportSection.js';

/** README.txt inside the archive: what every file is, readable without Ares. */
export function archiveReadme(manifest: Omit<Manifest, 'files'>, sections: ExportSection[]): string {
  const lines = [
    `Ares export of "${manifest.tenant.name}"`,
    `Made ${manifest.createdAt} by Ares Desktop ${manifest.appVersion}; export format ${manifest.format} version ${manifest.formatVersion}.`,
    '',
    'Every file is UTF-8. JSON Lines files (.jsonl) hold one JSON object per line; CSV files use commas,',
    'double quotes around cells that need them, CRLF line ends and a byte order mark so spreadsheets read',
    'them as UTF-8 (a cell that would start with = + - or @ gets a leading apostrophe so it is not run as a',
    'formula; the JSON Lines file beside it has the exact text). Times in JSON Lines are milliseconds since',
    '1970-01-01 UTC unless the field name says otherwise; CSV times are ISO 8601 in UTC.',
    '',
    'manifest.json',
    '  Format version, tenant name, when and by which app version the archive was made, the record counts',
    '  of every section, and the size and SHA-256 checksum of every other file (check one with',
    '  `sha256sum FILE`). Sections marked "not_available" were not part of this app version.',
    'README.txt',
    '  This file.',
  ];
  for (const section of sections) {
    const entry = manifest.sections.find((candidate) => candidate.id === section.id);
    lines.push('', `== ${section.title} (${section.id}/) ==`);
    if (entry && entry.status === 'not_available') {
      lines.push(`  Not in this archive: ${entry.note ?? 'not available in this version.'}`);
      continue;
    }
    for (const [path, description] of section.describeFiles()) lines.push(path, ...wrap(description, 98).map((line) => `  ${line}`));
  }
  lines.push(
    '',
    'Not exported, on purpose: secrets (the model API key, relay device tokens, passwords), the relay',
    'connection and sync cursor (a restored tenant connects as a new device), and search indexes, which',
    'are rebuilt from the chunks on unlock.',
    '',
    'The format is documented with JSON Schemas in the Ares repository: docs/export-format.md.',
    '',
  );
  return lines.join('\r\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
