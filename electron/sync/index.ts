export { SyncEngine } from './syncEngine.js';
export { SyncStore, type RelayConnection } from './syncStore.js';
export { SyncService, widgetSnippet } from './syncService.js';
export { syncServiceFor, attachSyncToCore } from './sessionSync.js';
export { parseRelayUrl } from './relayAddress.js';
export type { SyncProjector } from './syncProjector.js';
export { prepared } from './preparedStatements.js';
export { realScheduler, type RelayTransport, type Scheduler, type LiveHandlers } from './relayTransport.js';
export { syncRouter } from './syncRouter.js';
