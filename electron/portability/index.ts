/** The portability domain's public surface: its router, the section contract, and the hooks sync uses. */
export { portabilityRouter } from './portabilityRouter.js';
export type { ExportSection, SectionExportContext, SectionRestoreContext } from './sections/index.js';
export { exportSections } from './sections/index.js';
export { exportTenant, type ExportOptions, type ExportResult } from './exportTenant.js';
export { restoreTenant, type RestoreOptions, type RestoreResult } from './restoreTenant.js';
export { applyErasureEvent, pendingErasures, markErasureSent } from './customers/customerData.js';
export { RetentionScheduler, retentionScheduler, applyRetention } from './retention/retention.js';
