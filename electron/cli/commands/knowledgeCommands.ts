import type { Command } from 'commander';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { AresError } from '../../../shared/errors.js';
import { fileTypes, type FileImportState, type FileType, type SearchHit } from '../../../shared/schemas/knowledge.js';
import { printResult, type CoreCaller, type GlobalOptions } from '../cliContext.js';
import { parseMappingOption, registerCatalogCommands } from './catalogCommands.js';
import { findSourceId, withKnowledgeTenant as withTenant } from './knowledgeSession.js';
import { registerModelCommands } from './modelCommands.js';


/** Every file under the given paths; a folder's files are named by their path from the folder's parent. */
async function collectFiles(paths: string[]): Promise<{ path: string; name: string }[]> {
  const files: { path: string; name: string }[] = [];
  for (const given of paths) {
    const absolute = resolve(given);
    const info = await stat(absolute).catch(() => null);
    if (!info) throw new AresError('NOT_FOUND', `No such file or folder: ${given}`);
    if (info.isFile()) {
      files.push({ path: absolute, name: basename(absolute) });
      continue;
    }
    const entries = await readdir(absolute, { withFileTypes: true, recursive: true });
    for (const entry of entries) {
      if (!entry.isFile() || entry.name.startsWith('.')) continue;
      const path = join(entry.parentPath, entry.name);
      files.push({ path, name: relative(dirname(absolute), path).split('\\').join('/') });
    }
  }
  return files.sort((a, b) => a.name.localeCompare(b.name));
}

function describeHit(hit: SearchHit, rank: number): string {
  const where = [
    hit.location.page !== undefined ? `page ${hit.location.page}` : null,
    hit.location.row !== undefined ? `row ${hit.location.row}` : null,
    hit.location.headingPath?.length ? hit.location.headingPath.join(' > ') : null,
  ].filter(Boolean);
  const preview = hit.text.replace(/\s+/g, ' ').slice(0, 160);
  return `${rank + 1}. ${hit.sourceName}${where.length ? ` (${where.join(', ')})` : ''}  score ${hit.score.toFixed(4)}\n   ${preview}`;
}

async function readQueries(source: string): Promise<string[]> {
  if (source === '-') {
    if (!process.env.ARES_PASSPHRASE) {
      throw new AresError('INVALID_INPUT', 'With --queries - the passphrase must come from ARES_PASSPHRASE, since standard input carries the queries.');
    }
    const lines: string[] = [];
    for await (const line of createInterface({ input: process.stdin })) lines.push(line);
    return lines.map((line) => line.trim()).filter(Boolean);
  }
  return (await readFile(source, 'utf8')).split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
}

export function registerKnowledgeCommands(program: Command, globals: () => GlobalOptions): void {
  program
    .command('import')
    .description('import files or folders into a tenant\'s knowledge base (exit code 1 if any file failed)')
    .requiredOption('--tenant <name>', 'tenant name')
    .option('--mapping <mapping>', 'catalogs: FIELD=COLUMN pairs, comma-separated (sku, name, description, price, currency, stock, url); other fields are guessed')
    .argument('<paths...>', 'files or folders')
    .action(async (paths: string[], options: { tenant: string; mapping?: string }) => {
      const mapping = options.mapping !== undefined ? parseMappingOption(options.mapping) : undefined;
      const files = await collectFiles(paths);
      const results = await withTenant(globals(), options.tenant, async (caller: CoreCaller) => {
        const done: FileImportState[] = [];
        for (const file of files) {
          const bytes = await readFile(file.path);
          const result = await caller.knowledge.importFile({ name: file.name, contentBase64: bytes.toString('base64'), ...(mapping ? { mapping } : {}) });
          done.push(result);
          if (!globals().json) {
            const detail = result.status === 'failed' ? `${result.errorMessage} (${result.errorCode})` : `${result.chunkCount ?? 0} chunks${result.productCount ? `, ${result.productCount} products` : ''}`;
            process.stdout.write(`${result.status.padEnd(9)} ${file.name}: ${detail}\n`);
          }
        }
        return done;
      });
      const failed = results.filter((result) => result.status === 'failed').length;
      if (globals().json) process.stdout.write(`${JSON.stringify(results)}\n`);
      else process.stdout.write(`${results.length - failed} of ${results.length} files imported${failed ? `, ${failed} failed` : ''}.\n`);
      if (failed > 0) process.exitCode = 1;
    });

  program
    .command('search')
    .description('search a tenant\'s knowledge base (hybrid: meaning and words)')
    .requiredOption('--tenant <name>', 'tenant name')
    .option('--limit <n>', 'hits per query', (value) => Number.parseInt(value, 10), 10)
    .option('--type <types>', `only these file types, comma-separated (${fileTypes.join(', ')})`)
    .option('--queries <file>', 'one query per line from FILE, or - for standard input; prints one JSON line of hits per query')
    .argument('[query...]', 'what to search for')
    .action(async (words: string[], options: { tenant: string; limit: number; type?: string; queries?: string }) => {
      const queries = options.queries ? await readQueries(options.queries) : [words.join(' ')];
      if (queries.length === 0 || !queries[0]) throw new AresError('INVALID_INPUT', 'Give a query, or --queries FILE.');
      const types = options.type ? (options.type.split(',').map((type) => type.trim()) as FileType[]) : undefined;
      await withTenant(globals(), options.tenant, async (caller) => {
        for (const query of queries) {
          const hits = await caller.knowledge.search({ query, limit: options.limit, ...(types ? { fileTypes: types } : {}) });
          if (options.queries) process.stdout.write(`${JSON.stringify({ query, hits })}\n`);
          else printResult(globals(), hits, hits.length === 0 ? 'No matches.' : hits.map(describeHit).join('\n'));
        }
      });
    });

  program
    .command('sources')
    .description('list the sources in a tenant\'s knowledge base')
    .requiredOption('--tenant <name>', 'tenant name')
    .action(async (options: { tenant: string }) => {
      const sources = await withTenant(globals(), options.tenant, (caller) => caller.knowledge.sources());
      const text =
        sources.length === 0
          ? 'No sources yet. Import some with: ares import --tenant NAME PATH...'
          : sources.map((source) => `${source.name}  ${source.fileType}  ${source.chunkCount} chunks  ${source.status}${source.columnMapping === 'guessed' ? '  columns guessed' : ''}`).join('\n');
      printResult(globals(), sources, text);
    });

  program
    .command('delete-source')
    .description("delete a source from a tenant's knowledge base: its chunks, products and original file")
    .requiredOption('--tenant <name>', 'tenant name')
    .argument('<source>', 'the source, by name as `ares sources` lists it (or by id)')
    .action(async (sourceName: string, options: { tenant: string }) => {
      const deleted = await withTenant(globals(), options.tenant, async (caller) => {
        const sourceId = await findSourceId(caller, sourceName);
        await caller.knowledge.deleteSource({ sourceId });
        return { sourceId, name: sourceName, deleted: true };
      });
      printResult(globals(), deleted, `Deleted "${sourceName}" and everything made from it.`);
    });

  registerCatalogCommands(program, globals);
  registerModelCommands(program, globals);
}
