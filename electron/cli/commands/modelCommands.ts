import type { Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import { AresError } from '../../../shared/errors.js';
import type { AvailableModel, ModelStatus } from '../../../shared/schemas/knowledge.js';
import { printResult, type CoreCaller, type GlobalOptions } from '../cliContext.js';
import { withKnowledgeTenant } from './knowledgeSession.js';

const pollMilliseconds = 250;

function describeStatus(status: ModelStatus): string {
  const lines = [`${status.modelId}: ${status.installed ? `installed at ${status.location} (${status.dimension ?? '?'} dimensions)` : status.downloadable ? 'not installed (ares model download)' : 'not installed'}`];
  if (status.reembedding.state !== 'idle') lines.push(`re-embedding: ${status.reembedding.state}, ${status.reembedding.done} of ${status.reembedding.total} passages${status.reembedding.error ? ` (${status.reembedding.error})` : ''}`);
  lines.push(`index: ${status.index.ready ? `${status.index.rows} passages` : 'not built'}`);
  return lines.join('\n');
}

function describeModel(model: AvailableModel): string {
  const where = model.origin ? `installed (${model.origin})` : model.downloadable ? 'downloadable' : 'not installed';
  return `${model.current ? '*' : ' '} ${model.modelId}  ${where}`;
}

/**
 * Waits until every passage is embedded by the tenant's model. Re-embedding runs inside this
 * process, so leaving early would stop it (it resumes on the next unlock).
 */
async function waitForReembedding(caller: CoreCaller, options: GlobalOptions): Promise<ModelStatus> {
  let lastReported = '';
  for (;;) {
    const status = await caller.knowledge.modelStatus();
    if (!status.installed) return status;
    if (status.reembedding.state === 'failed') throw new AresError('INTERNAL', `Re-embedding stopped: ${status.reembedding.error ?? 'unknown reason'}`);
    const settled = status.index.ready && status.reembedding.state !== 'running';
    if (settled && (await caller.knowledge.sources()).every((source) => source.status === 'ready')) return status;
    const progress = `re-embedding ${status.reembedding.done} of ${status.reembedding.total} passages`;
    if (!options.json && status.reembedding.state === 'running' && progress !== lastReported) {
      process.stderr.write(`${progress}\n`);
      lastReported = progress;
    }
    await sleep(pollMilliseconds);
  }
}

export function registerModelCommands(program: Command, globals: () => GlobalOptions): void {
  const model = program.command('model').description('the embedding model of a tenant\'s knowledge base');

  model
    .command('status')
    .description('which model the tenant uses, whether it is installed, re-embedding and index state')
    .requiredOption('--tenant <name>', 'tenant name')
    .action(async (options: { tenant: string }) => {
      const status = await withKnowledgeTenant(globals(), options.tenant, (caller) => caller.knowledge.modelStatus());
      printResult(globals(), status, describeStatus(status));
    });

  model
    .command('list')
    .description('models installed (models folder, downloads, bundled) and in the download catalog; * marks the one in use')
    .requiredOption('--tenant <name>', 'tenant name')
    .action(async (options: { tenant: string }) => {
      const models = await withKnowledgeTenant(globals(), options.tenant, (caller) => caller.knowledge.availableModels());
      printResult(globals(), models, models.map(describeModel).join('\n'));
    });

  model
    .command('use')
    .description('switch the tenant to another model and re-embed every passage (waits, printing progress, unless --no-wait)')
    .requiredOption('--tenant <name>', 'tenant name')
    .option('--no-wait', 'return at once; re-embedding then continues the next time the tenant is unlocked')
    .argument('<model>', 'model id, as `ares model list` shows it')
    .action(async (modelId: string, options: { tenant: string; wait: boolean }) => {
      const status = await withKnowledgeTenant(globals(), options.tenant, async (caller) => {
        await caller.knowledge.setModel({ modelId });
        return options.wait ? waitForReembedding(caller, globals()) : caller.knowledge.modelStatus();
      });
      printResult(globals(), status, describeStatus(status));
    });

  model
    .command('download')
    .description('download the tenant\'s model (checksums verified), then re-embed anything it has not embedded yet')
    .requiredOption('--tenant <name>', 'tenant name')
    .action(async (options: { tenant: string }) => {
      const status = await withKnowledgeTenant(globals(), options.tenant, async (caller) => {
        const downloading = caller.knowledge.downloadModel();
        let done = false;
        void downloading.finally(() => {
          done = true;
        }).catch(() => undefined);
        while (!done) {
          const { download } = await caller.knowledge.modelStatus();
          if (!globals().json && download.state === 'downloading') process.stderr.write(`downloaded ${download.receivedBytes} of ${download.totalBytes || '?'} bytes\n`);
          await sleep(1000);
        }
        await downloading;
        return waitForReembedding(caller, globals());
      });
      printResult(globals(), status, describeStatus(status));
    });
}
