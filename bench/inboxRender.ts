// The live inbox in a real browser at the size of issue 6: 100,000 conversations and one of 10,000
// messages in a tenant created by the real core, served by the real web mode, driven in Chromium.
// Times (from the click or keystroke, in the page's clock, to the frame where the list or history
// shows the result): unlock → first rows, each filter, two searches, a scroll to the end of the
// virtualised list, opening the long conversation, loading its whole history and scrolling through
// it. Memory after each step: the page's JS heap (after a forced GC) and DOM nodes, the server's RSS.
// Usage: npx tsx bench/inboxRender.ts [--conversations 100000] [--messages 10000] [--runs 5]
// Prints one JSON line per phase and run, then one per phase with p50/p95 over the runs, and writes
// bench/results/inboxRender-<time>.json. A wait that runs out exits 2 naming the step.
import { chromium, type CDPSession, type Locator, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AresCore } from '../electron/core/aresCore.js';
import { startWebMode, type WebModeProcess } from '../tests/e2e/webMode.js';
import { seedInbox } from './inboxSeed.js';
import { percentiles } from './relayBenchSupport.js';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? Math.min(value, 1_000_000) : fallback;
}
const size = { conversations: option('conversations', 100_000), messages: option('messages', 10_000), runs: option('runs', 5) };
const tenantName = 'Bench Shop';
const passphrase = 'correct horse battery staple';
// Without a relay connection the web mode's staff member is called "Staff": the "Mine" filter shows theirs.
const me = 'Staff';
const stepTimeout = 120_000;
const megabyte = 1_048_576;
const repositoryRoot = join(import.meta.dirname, '..');
const rounded = (value: number) => Math.round(value * 10) / 10;

class StepTimeout extends Error {}

/** Runs one step with a bound; anything that fails inside becomes a failure of that step. */
async function step<T>(name: string, work: () => Promise<T>, timeout = stepTimeout): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepTimeout(`${name}: no result within ${timeout / 1000} s`)), timeout);
  });
  try {
    return await Promise.race([work(), expired]);
  } catch (error) {
    throw error instanceof StepTimeout ? error : new StepTimeout(`${name}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Milliseconds from `started` (the page's clock, read as the action began) to the first animation frame
 * where `done` holds. Page functions are plain expressions: tsx would wrap named inner functions.
 */
async function until<A>(page: Page, started: number, done: (argument: A) => unknown, argument: A): Promise<number> {
  const handle = await page.waitForFunction(done as (argument: unknown) => unknown, argument as unknown, { polling: 'raf', timeout: stepTimeout });
  return rounded(((await handle.jsonValue()) as number) - started);
}
/** Clicks in the page and returns the page's clock just before the click. */
const clickAt = (target: Locator) => target.first().evaluate((element) => [performance.now(), (element as HTMLElement).click()][0] as number);
const pageNow = (page: Page) => page.evaluate(() => performance.now());

async function memory(page: Page, cdp: CDPSession, web: WebModeProcess) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name: string) => metrics.find((entry) => entry.name === name)?.value ?? Number.NaN;
  const status = await readFile(`/proc/${web.process.pid}/status`, 'utf8');
  const kilobytes = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return {
    jsHeapUsedMegabytes: rounded(metric('JSHeapUsedSize') / megabyte),
    domNodes: metric('Nodes'),
    elements: await page.evaluate(() => document.getElementsByTagName('*').length),
    serverRssMegabytes: rounded(kilobytes('VmRSS') / 1024),
    serverPeakRssMegabytes: rounded(kilobytes('VmHWM') / 1024),
  };
}

type Sample = { phase: string; run: number; milliseconds: number } & Awaited<ReturnType<typeof memory>> & Record<string, unknown>;

/** One run: unlock, filters, searches, deep scroll, the long conversation, then lock again. */
async function measureRun(page: Page, cdp: CDPSession, web: WebModeProcess, run: number, record: (sample: Sample) => void): Promise<void> {
  const phase = async (name: string, work: () => Promise<number>, extra: Record<string, unknown> = {}) => {
    const milliseconds = await step(`run ${run}: ${name}`, work);
    record({ phase: name, run, milliseconds, ...(await step(`run ${run}: memory after ${name}`, () => memory(page, cdp, web))), ...extra });
  };
  const listCount = () => page.locator('ul[aria-label="Conversations"]').getAttribute('aria-rowcount').then(Number);
  await step(`run ${run}: tenant picker`, async () => {
    await page.goto(web.url);
    await page.getByRole('button', { name: tenantName, exact: true }).click();
    await page.getByLabel('Passphrase').fill(passphrase);
  });
  // Unlock includes the scrypt key derivation (default parameters) and opening the SQLCipher file;
  // the first conversation in the list opens by itself.
  // One watcher started with the click, so each time is when it first held, not when it was asked.
  const unlock = page.getByRole('button', { name: 'Unlock' });
  const shown = await step(`run ${run}: unlock`, () =>
    unlock.evaluate(async (button, timeout) => {
      const started = performance.now();
      const marks: Record<string, number> = {};
      (button as HTMLElement).click();
      while (Object.keys(marks).length < 3) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const now = Math.round((performance.now() - started) * 10) / 10;
        if (!('unlockToFirstRows' in marks) && document.querySelector('ul[aria-label="Conversations"] .live-inbox-row')) marks.unlockToFirstRows = now;
        if (!('unlockToCounts' in marks) && /\(\d+\)/.test(document.querySelector('[aria-label="Filters"] button')?.textContent ?? '')) marks.unlockToCounts = now;
        if (!('unlockToFirstConversation' in marks) && document.querySelector('ol[aria-label="Messages"] li')) marks.unlockToFirstConversation = now;
        if (now > timeout) throw new Error(`only ${Object.keys(marks).join(', ') || 'nothing'} within ${timeout} ms`);
      }
      return marks;
    }, stepTimeout),
  );
  for (const [name, milliseconds] of Object.entries(shown)) await phase(name, async () => milliseconds);

  const filters = [
    { name: 'filterNeedsHuman', label: 'Needs a human', statuses: ['needs_human'] },
    { name: 'filterMine', label: 'Mine', statuses: ['human'] },
    { name: 'filterAiHandling', label: 'AI handling', statuses: ['ai'] },
    { name: 'filterResolved', label: 'Resolved', statuses: ['resolved'] },
  ];
  for (const filter of filters) {
    const button = page.locator('[aria-label="Filters"] button', { hasText: filter.label });
    const expected = Number(/\((\d+)\)/.exec((await button.textContent()) ?? '')?.[1]);
    await phase(
      filter.name,
      async () =>
        until(
          page,
          await clickAt(button),
          ({ expected, statuses }) => {
            const list = document.querySelector('ul[aria-label="Conversations"]');
            const states = [...(list?.querySelectorAll('.live-inbox-row .live-inbox-state') ?? [])].map((badge) => badge.getAttribute('data-status') ?? '');
            return list?.getAttribute('aria-rowcount') === String(expected) && states.length > 0 && states.every((state) => statuses.includes(state)) && performance.now();
          },
          { expected, statuses: filter.statuses },
        ),
      { matches: expected },
    );
  }
  const all = page.locator('[aria-label="Filters"] button', { hasText: /^All/ });
  await step(`run ${run}: back to all`, () => all.click());

  const search = page.getByLabel('Search conversations');
  for (const [name, term] of [['searchWord', 'warranty'], ['searchName', `Customer ${Math.min(4242, size.conversations - 1)}`]] as const) {
    const before = await step(`run ${run}: count before ${name}`, listCount);
    await phase(name, async () =>
      until(
        page,
        await pageNow(page).then(async (started) => {
          await search.fill(term);
          return started;
        }),
        ({ before, term }) => {
          const list = document.querySelector('ul[aria-label="Conversations"]');
          const rows = [...(list?.querySelectorAll('.live-inbox-row') ?? [])].map((row) => row.textContent?.toLowerCase() ?? '');
          // The count and the rows come from the same page of results: a new count means new rows.
          return list?.getAttribute('aria-rowcount') !== String(before) && rows.some((row) => row.includes(term.toLowerCase())) && performance.now();
        },
        { before, term },
      ),
    );
    await step(`run ${run}: clear ${name}`, async () => {
      await search.fill('');
      await page.waitForFunction((count) => document.querySelector('ul[aria-label="Conversations"]')?.getAttribute('aria-rowcount') === String(count), before, { timeout: stepTimeout });
    });
  }

  // A list that jumps back to the top instead (seen: the rows' pages still loading count as an empty
  // list) is recorded as not reaching the end, after 2 s at the top.
  const lastName = `Customer ${size.conversations - 1}`;
  let reachedEnd = true;
  await phase(
    'scrollListToEnd',
    async () => {
      await page.locator('.virtual-list').hover();
      const started = await pageNow(page);
      await page.mouse.wheel(0, size.conversations * 100);
      const shown = await until(
        page,
        started,
        ({ name, started }) => {
          const now = performance.now();
          if ([...document.querySelectorAll('ul[aria-label="Conversations"] .inbox-customer')].some((cell) => cell.textContent === name)) return now;
          return now - started > 2000 && document.querySelector('.virtual-list')?.scrollTop === 0 && -now;
        },
        { name: lastName, started },
      );
      reachedEnd = shown >= 0;
      return reachedEnd ? shown : Number.NaN;
    },
    { get reachedEnd() { return reachedEnd; } },
  );
  await step(`run ${run}: list back to top`, async () => {
    await page.locator('.virtual-list').evaluate((box) => box.scrollTo({ top: 0 }));
    await page.locator('.live-inbox-row', { hasText: 'Long talker' }).waitFor({ timeout: stepTimeout });
  });
  const latest = `Message ${size.messages - 1} `;
  await phase('openLongConversation', async () =>
    until(
      page,
      await clickAt(page.locator('.live-inbox-row', { hasText: 'Long talker' })),
      (text) => document.querySelector('.live-conversation h2')?.textContent === 'Long talker' && document.querySelector('ol[aria-label="Messages"]')?.lastElementChild?.textContent?.includes(text) && performance.now(),
      latest,
    ),
  );

  // The whole history, one "Load earlier messages" click per page of 300, bounded by the page count.
  let pages = 0;
  const history = page.locator('ol[aria-label="Messages"]');
  const earlier = page.getByRole('button', { name: 'Load earlier messages' });
  await phase('loadWholeHistory', async () => {
    let total = 0;
    for (; pages < Math.ceil(size.messages / 300) + 2 && (await earlier.count()) > 0; pages += 1) {
      const shown = await history.evaluate((list) => list.children.length);
      total += await until(page, await clickAt(earlier), (count) => (document.querySelector('ol[aria-label="Messages"]')?.children.length ?? 0) > count && performance.now(), shown);
    }
    return rounded(total);
  });
  const messagesShown = await history.evaluate((list) => list.children.length);
  // Scroll from the newest message to the oldest in 60 frames; how long the frames took says whether it stutters.
  const frames = await step(`run ${run}: scroll history`, () =>
    history.evaluate(async (list) => {
      const durations: number[] = [];
      list.scrollTop = list.scrollHeight;
      let previous = performance.now();
      while (durations.length < 60) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const now = performance.now();
        durations.push(now - previous);
        previous = now;
        list.scrollTop = list.scrollHeight * (1 - durations.length / 60);
      }
      return durations;
    }),
  );
  const frameStats = percentiles(frames);
  await phase('scrollHistory', async () => rounded(frames.reduce((sum, value) => sum + value, 0)), { pages, messagesShown, frameP50Milliseconds: frameStats.p50, frameP95Milliseconds: frameStats.p95, frameMaxMilliseconds: frameStats.max });

  await step(`run ${run}: lock`, async () => {
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByRole('heading', { name: 'Choose a tenant' }).waitFor({ timeout: stepTimeout });
  });
}

const folder = await mkdtemp(join(tmpdir(), 'ares-bench-inbox-render-'));
const dataDirectory = join(folder, 'data');
let web: WebModeProcess | null = null;
let browser: Awaited<ReturnType<typeof chromium.launch>> | null = null;
let exitCode = 0;
try {
  if (!existsSync(join(repositoryRoot, 'dist', 'renderer', 'index.html'))) {
    await step('vite build', async () => execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: repositoryRoot, stdio: 'inherit', timeout: 300_000 }), 300_000);
  }
  const loadBefore = loadavg();
  const seedSeconds = await step(
    'seed',
    async () => {
      const core = new AresCore({ dataDirectory });
      try {
        await core.createTenant(tenantName, passphrase);
        // The long conversation third in the list, so it is not the one that opens by itself after unlock.
        return seedInbox(core.requireSession().database, { conversations: size.conversations, messages: size.messages, me, newerThanLong: 2 });
      } finally {
        await core.dispose();
      }
    },
    1_800_000,
  );
  console.log(JSON.stringify({ phase: 'seed', seconds: rounded(seedSeconds), ...size }));
  web = await step('start web mode', () => startWebMode({ dataDirectory }));
  const launched = await step('launch chromium', () => chromium.launch({ executablePath: '/usr/bin/chromium' }));
  browser = launched;
  const samples: Sample[] = [];
  for (let run = 1; run <= size.runs; run += 1) {
    // A fresh context per run: nothing cached in the page from the run before.
    const context = await step(`run ${run}: new page`, () => launched.newContext({ viewport: { width: 1280, height: 900 } }));
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await measureRun(page, cdp, web, run, (sample) => {
      samples.push(sample);
      console.log(JSON.stringify(sample));
    });
    await context.close();
  }
  const phases = [...new Set(samples.map((sample) => sample.phase))].map((phase) => {
    const of = samples.filter((sample) => sample.phase === phase);
    const stats = (pick: (sample: Sample) => number) => {
      const { p50, p95, max } = percentiles(of.map(pick).filter(Number.isFinite));
      return { p50, p95, max };
    };
    const summary = { phase, runs: of.length, milliseconds: stats((sample) => sample.milliseconds), jsHeapUsedMegabytes: stats((sample) => sample.jsHeapUsedMegabytes), domNodes: stats((sample) => sample.domNodes), serverRssMegabytes: stats((sample) => sample.serverRssMegabytes) };
    console.log(JSON.stringify(summary));
    return summary;
  });
  const results = {
    benchmark: 'inboxRender',
    machine: { cpus: cpus().length, node: process.version, chromium: launched.version(), loadAverageBefore: loadBefore.map(rounded), loadAverageAfter: loadavg().map(rounded) },
    size,
    seedSeconds: rounded(seedSeconds),
    phases,
    samples,
  };
  await mkdir(join(import.meta.dirname, 'results'), { recursive: true });
  const file = join(import.meta.dirname, 'results', `inboxRender-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify({ phase: 'done', file, loadAverage: results.machine.loadAverageAfter }));
} catch (error) {
  exitCode = error instanceof StepTimeout ? 2 : 1;
  console.error(JSON.stringify({ error: error instanceof Error ? error.message : String(error), exitCode }));
} finally {
  await browser?.close().catch(() => undefined);
  await web?.stop().catch(() => undefined);
  await rm(folder, { recursive: true, force: true });
}
process.exit(exitCode);
