/**
 * Prepares the "Acme Bags" tenant (small FAQ and catalog, imported for real) in the data folder
 * given as the first argument, for end-to-end tests that then start web mode on that folder.
 * Prints the models folder web mode needs as `ARES_MODELS_DIR=…`.
 */
import { disposeEmbedders } from '../../knowledge/index.js';
import { createAgentTenant } from './agentTenant.js';

const dataDirectory = process.argv[2];
if (!dataDirectory) throw new Error('usage: prepareAgentTenant.ts DATA_DIRECTORY');
const tenant = await createAgentTenant({ dataDirectory });
await tenant.core.dispose();
process.stdout.write(`ARES_MODELS_DIR=${process.env.ARES_MODELS_DIR}\nARES_EMBEDDING_MODEL=${process.env.ARES_EMBEDDING_MODEL}\n`);
await disposeEmbedders();
