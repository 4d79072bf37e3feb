import { agentSection } from './agentSection.js';
import { conversationsSection } from './conversationsSection.js';
import type { ExportSection } from './exportSection.js';
import { knowledgeSection } from './knowledgeSection.js';
import { privacySection } from './privacySection.js';
import { settingsSection } from './settingsSection.js';

export type { ExportSection, SectionExportContext, SectionRestoreContext } from './exportSection.js';

/** Every section, in restore order (a section may refer to rows of an earlier one). */
export const exportSections: ExportSection[] = [settingsSection, knowledgeSection, conversationsSection, agentSection, privacySection];
