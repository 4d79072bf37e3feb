// Entry of the embedding worker thread. The thread runs TypeScript through tsx, as the rest of
// the core does outside a bundle; a bundled app points ARES_EMBEDDING_WORKER at its compiled copy.
import { register } from 'tsx/esm/api';

register();
await import('./workerThread.ts');
