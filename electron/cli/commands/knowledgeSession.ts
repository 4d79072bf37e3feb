import { AresError } from '../../../shared/errors.js';
import { disposeEmbedders } from '../../knowledge/index.js';
import { withTenant, type CoreCaller, type GlobalOptions } from '../cliContext.js';

/** As withTenant, then stops the embedding worker: it lives for the whole process, and a CLI run ends here. */
export async function withKnowledgeTenant<T>(options: GlobalOptions, name: string, work: (caller: CoreCaller) => Promise<T>): Promise<T> {
  try {
    return await withTenant(options, name, work);
  } finally {
    await disposeEmbedders();
  }
}

/** A source named as `ares sources` lists it (or by id). */
export async function findSourceId(caller: CoreCaller, nameOrId: string): Promise<string> {
  const sources = await caller.knowledge.sources();
  const source = sources.find((candidate) => candidate.name === nameOrId || candidate.id === nameOrId);
  if (!source) throw new AresError('NOT_FOUND', `No source named "${nameOrId}". List them with: ares sources --tenant NAME`);
  return source.id;
}
