/** Bounds on the work one file may cause, so a hostile or broken file fails alone and quickly. */
export interface KnowledgeLimits {
  maximumFileBytes: number;
  /** Text extracted from one file; past this the file is refused rather than half-indexed. */
  maximumExtractedCharacters: number;
  maximumPdfPages: number;
  maximumCatalogRows: number;
  /** Zip containers (DOCX, XLSX): entry count and total inflated size, against zip bombs. */
  maximumArchiveEntries: number;
  maximumArchiveInflatedBytes: number;
  /** Reading (not embedding) one file; past this the reader worker is stopped, which also stops a hung parser. */
  maximumReadMilliseconds: number;
}

const megabyte = 1024 * 1024;

function fromEnvironment(name: string, fallback: number, scale = 1): number {
  const raw = process.env[name];
  const value = raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(value) && value > 0 ? value * scale : fallback;
}

/** Defaults, each overridable by an environment variable (documented in the README). */
export function defaultKnowledgeLimits(): KnowledgeLimits {
  return {
    maximumFileBytes: fromEnvironment('ARES_KNOWLEDGE_MAX_FILE_MB', 50 * megabyte, megabyte),
    maximumExtractedCharacters: fromEnvironment('ARES_KNOWLEDGE_MAX_CHARACTERS', 20_000_000),
    maximumPdfPages: fromEnvironment('ARES_KNOWLEDGE_MAX_PDF_PAGES', 2_000),
    maximumCatalogRows: fromEnvironment('ARES_KNOWLEDGE_MAX_CATALOG_ROWS', 200_000),
    maximumArchiveEntries: 10_000,
    maximumArchiveInflatedBytes: fromEnvironment('ARES_KNOWLEDGE_MAX_INFLATED_MB', 300 * megabyte, megabyte),
    maximumReadMilliseconds: fromEnvironment('ARES_KNOWLEDGE_MAX_READ_SECONDS', 120_000, 1000),
  };
}

export function formatBytes(bytes: number): string {
  if (bytes >= megabyte) return `${(bytes / megabyte).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
