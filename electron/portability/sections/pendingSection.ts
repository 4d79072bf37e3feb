import { tableExists, type ExportSection } from './exportSection.js';

/**
 * A domain whose tables are not in this version of the app yet. It is listed in the manifest as
 * "not_available" with a note, so a reader knows the archive is not missing it by accident.
 */
export function pendingSection(options: { id: string; title: string; note: string; detectTables: string[] }): ExportSection {
  return {
    id: options.id,
    title: options.title,
    describeFiles: () => [],
    availability(database) {
      const present = options.detectTables.filter((table) => tableExists(database, table));
      return {
        available: false,
        note: present.length > 0 ? `${options.note} (This database has ${present.join(', ')}, which this version of the export does not read yet.)` : options.note,
      };
    },
    countRecords: () => 0,
    async export() {},
    async restore() {},
  };
}
