// Live inbox list and conversation queries at scale (issue 6): 100,000 conversations and one
// conversation of 10,000 messages in a real SQLCipher tenant database, through the same functions
// the inbox router calls. Prints one JSON object and writes it to bench/results/inbox-<time>.json.
// Usage: npx tsx bench/inbox.ts [--conversations 100000] [--messages 10000] [--runs 15]
// "Render-relevant work" is the page the virtualised list asks for (100 rows, of which about 10
// are drawn): its query time and payload size, not a browser paint.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { conversationDetails, conversationPage, inboxCounts, messagePage } from '../electron/inbox/inboxQueries.js';
import { openTenantDatabase } from '../electron/vault/tenantDatabase.js';
import type { ConversationPageQuery } from '../shared/schemas/liveInbox.js';
import { longConversationId as long, seedInbox } from './inboxSeed.js';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? Math.min(value, 1_000_000) : fallback;
}
const size = { conversations: option('conversations', 100_000), messages: option('messages', 10_000), runs: option('runs', 15) };
const megabyte = 1_048_576;

function timed(work: () => unknown, runs: number): { firstMilliseconds: number; p50Milliseconds: number; p95Milliseconds: number } {
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    work();
    samples.push(performance.now() - started);
  }
  const sorted = [...samples.slice(1)].sort((a, b) => a - b);
  const at = (fraction: number) => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? samples[0]!) * 100) / 100;
  return { firstMilliseconds: Math.round(samples[0]! * 100) / 100, p50Milliseconds: at(0.5), p95Milliseconds: at(0.95) };
}

const folder = await mkdtemp(join(tmpdir(), 'ares-bench-inbox-'));
const database = openTenantDatabase(folder, randomBytes(32));
try {
  const seedSeconds = seedInbox(database, size);
  global.gc?.();
  const before = process.memoryUsage();

  const page = (input: Partial<ConversationPageQuery>) => conversationPage(database, { filter: 'all', search: '', offset: 0, limit: 100, channel: null, ...input }, 'Ann Agent', []);
  const firstPage = page({});
  const matches = (search: string, filter: ConversationPageQuery['filter'] = 'all') => {
    const result = page({ search, filter });
    return { matches: result.total, matchesCapped: result.totalCapped };
  };
  const results = {
    benchmark: 'inbox',
    machine: { cpus: cpus().length, node: process.version },
    size: { conversations: size.conversations, longConversationMessages: size.messages, runs: size.runs },
    seedSeconds: Math.round(seedSeconds * 10) / 10,
    firstPage: { ...timed(() => page({}), size.runs), rows: firstPage.rows.length, total: firstPage.total, payloadKilobytes: Math.round(JSON.stringify(firstPage).length / 102.4) / 10 },
    counts: timed(() => inboxCounts(database, 'Ann Agent'), size.runs),
    filters: {
      needsHuman: timed(() => page({ filter: 'needs_human' }), size.runs),
      mine: timed(() => page({ filter: 'mine' }), size.runs),
      aiHandling: timed(() => page({ filter: 'ai' }), size.runs),
      resolved: timed(() => page({ filter: 'resolved' }), size.runs),
      channelWhatsapp: timed(() => page({ channel: 'whatsapp' }), size.runs),
      // A common word (1 in 14 messages), a word in a handful of messages, a two-letter prefix typed so far, a name.
      searchWord: { ...timed(() => page({ search: 'warranty' }), size.runs), ...matches('warranty') },
      searchRareWord: { ...timed(() => page({ search: '4242' }), size.runs), ...matches('4242') },
      searchPrefix: { ...timed(() => page({ search: 're' }), size.runs), ...matches('re') },
      searchWordNeedsHuman: { ...timed(() => page({ search: 'warranty', filter: 'needs_human' }), size.runs), ...matches('warranty', 'needs_human') },
      searchName: { ...timed(() => page({ search: 'Customer 4242' }), size.runs), ...matches('Customer 4242') },
    },
    deepScroll: timed(() => page({ offset: Math.max(0, size.conversations - 100) }), size.runs),
    longConversation: {
      details: timed(() => conversationDetails(database, long, 'Ann Agent', []), size.runs),
      latestPage: timed(() => messagePage(database, long, null, 300), size.runs),
      wholeHistoryInPages: timed(() => {
        let cursor: number | null = null;
        for (let pageIndex = 0; pageIndex < 100; pageIndex += 1) {
          const result = messagePage(database, long, cursor, 300);
          cursor = result.olderBeforeSeq;
          if (cursor === null) break;
        }
      }, Math.min(size.runs, 5)),
    },
    memory: {
      heapUsedMegabytes: Math.round((process.memoryUsage().heapUsed / megabyte) * 10) / 10,
      rssMegabytes: Math.round((process.memoryUsage().rss / megabyte) * 10) / 10,
      rssGrowthDuringQueriesMegabytes: Math.round(((process.memoryUsage().rss - before.rss) / megabyte) * 10) / 10,
    },
  };
  console.log(JSON.stringify(results, null, 2));
  await mkdir(join(import.meta.dirname, 'results'), { recursive: true });
  await writeFile(join(import.meta.dirname, 'results', `inbox-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), `${JSON.stringify(results, null, 2)}\n`);
} finally {
  database.close();
  await rm(folder, { recursive: true, force: true });
}
