// Entry of the reader worker thread (see embeddingWorker.mjs); a bundled app points
// ARES_READER_WORKER at its compiled copy.
import { register } from 'tsx/esm/api';

register();
await import('./readerThread.ts');
