// Relay and sync benchmarks (issue 4). Prints one JSON object per phase, then a summary.
// Usage: npx tsx bench/relayBench.ts [latency] [catchup] [reconnect] [echo] [fanout]   (default: all)
// Open-loop load on loopback; every phase is bounded in time. Results vary with machine load:
// compare phases within one run (the WebSocket echo is the floor), not across runs.
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { WebSocketServer, WebSocket } from 'ws';
import { createRelayTestClient, pushStaffMessages } from '../relay/testing/relayTestHarness.js';
import { liveFrameEncoder, markShared } from '../relay/sync/sharedLivePages.js';
import { startRelayProcess } from '../tests/e2e/relayProcess.js';
import { percentiles, processCpuMilliseconds, startBenchDesktop, sendVisitorMessage, waitUntil, widgetVisitor, type BenchDesktop } from './relayBenchSupport.js';

const phases = process.argv.slice(2);
const runs = (name: string) => phases.length === 0 || phases.includes(name);
const results: Record<string, unknown> = { machine: { cpus: (await import('node:os')).cpus().length, node: process.version }, startedAt: new Date().toISOString() };
const report = (name: string, value: unknown) => {
  results[name] = value;
  process.stdout.write(`${JSON.stringify({ phase: name, ...(value as object) })}\n`);
};
const owner = { businessName: 'Bench', ownerName: 'Bench Owner', email: 'bench@example.test', password: 'benchmark password', deviceName: 'bench' };

async function signInDevices(url: string, count: number): Promise<{ tokens: string[]; widgetKey: string }> {
  const { client, close } = createRelayTestClient(url);
  const registered = await client.account.registerTenant.mutate(owner);
  const tokens = [registered.deviceToken];
  for (let index = 1; index < count; index += 1) tokens.push((await client.account.login.mutate({ email: owner.email, password: owner.password, deviceName: `bench ${index}` })).deviceToken);
  await close();
  return { tokens, widgetKey: registered.widgetKey };
}

/** Starts a desktop in its own process; `onApply(text, wallClockMilliseconds)` for each customer message it applies. */
interface DesktopProcess {
  pid: number;
  /** Stops the process; resolves to the transactions it applied events in, and how many events those held. */
  stop(): Promise<{ count: number; events: number }>;
}

async function desktopProcess(relayUrl: string, token: string, onApply: (text: string, at: number) => void): Promise<DesktopProcess> {
  // ARES_BENCH_DESKTOP_PROFILE=DIR writes a CPU profile of each desktop process there.
  const profileDirectory = process.env.ARES_BENCH_DESKTOP_PROFILE;
  const profile = profileDirectory ? ['--import', './bench/cpuProfilePreload.mjs'] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'bench/relayBenchDesktop.ts', relayUrl, token], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: profileDirectory ? { ...process.env, ARES_CPU_PROFILE_DIR: profileDirectory } : process.env,
  });
  let buffered = '';
  let commits = { count: 0, events: 0 };
  let ready: () => void = () => {};
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (line === 'ready') ready();
      else if (line.startsWith('commits\t')) {
        const [, count, events] = line.split('\t');
        commits = { count: Number(count), events: Number(events) };
      } else {
        const [text, at] = line.split('\t');
        if (text && at) onApply(text, Number(at));
      }
    }
  });
  await isReady;
  return {
    pid: child.pid!,
    async stop() {
      // 'close', not 'exit': the last lines on stdout (the commit counts) are read by then.
      const closed = new Promise((resolve) => child.once('close', resolve));
      child.kill('SIGTERM');
      await closed;
      return commits;
    },
  };
}

const wallClock = () => performance.timeOrigin + performance.now();
const cores = (cpuMilliseconds: number, elapsedMilliseconds: number) => Math.round((cpuMilliseconds / elapsedMilliseconds) * 100) / 100;

/**
 * Visitor message → applied on all 10 desktops (each its own process), at a fixed open-loop rate.
 * The first `warmUpSeconds` run at the same rate but are reported apart (`warmUp`): freshly started
 * processes run cold code and grow new WAL files, which a relay and desktops that run for days do
 * not. Everything else (latency, CPU, batching) covers the measured seconds only.
 */
async function latency(ratePerSecond: number, seconds: number, warmUpSeconds: number) {
  // ARES_BENCH_RELAY_PROFILE=DIR writes a CPU profile of the relay process there (see bench/README.md).
  const profile = process.env.ARES_BENCH_RELAY_PROFILE ? { NODE_OPTIONS: '--import ./bench/cpuProfilePreload.mjs', ARES_CPU_PROFILE_DIR: process.env.ARES_BENCH_RELAY_PROFILE } : {};
  const relay = await startRelayProcess({ environment: { RELAY_RATE_LIMIT_SCALE: '0', ...profile } });
  // ARES_BENCH_DESKTOPS=N (default 10, the figure) finds how many desktops this machine carries.
  const { tokens, widgetKey } = await signInDevices(relay.url, Number(process.env.ARES_BENCH_DESKTOPS ?? 10));
  const warmUpCount = ratePerSecond * warmUpSeconds;
  const total = ratePerSecond * seconds;
  /** Send time of each message by its text; index 0 is the first measured message. */
  const sentAt = new Map<string, { at: number; index: number }>();
  const latencies: number[] = [];
  const warmUpLatencies: number[] = [];
  const latenciesBySecond: number[][] = Array.from({ length: seconds }, () => []);
  const desktops = await Promise.all(
    tokens.map((token) =>
      desktopProcess(relay.url, token, (text, at) => {
        const sent = sentAt.get(text);
        if (!sent) return;
        if (sent.index < 0) warmUpLatencies.push(at - sent.at);
        else {
          latencies.push(at - sent.at);
          latenciesBySecond[Math.floor(sent.index / ratePerSecond)]!.push(at - sent.at);
        }
      }),
    ),
  );
  const visitors = await Promise.all(Array.from({ length: 50 }, () => widgetVisitor(relay.url, widgetKey)));
  let failures = 0;
  const failureReasons = new Map<string, number>();
  const noteFailure = (reason: string) => {
    failures += 1;
    failureReasons.set(reason, (failureReasons.get(reason) ?? 0) + 1);
  };
  const answered: number[] = [];
  const tickMilliseconds = 10;
  const loadAverageBefore = loadavg()[0]!;
  const desktopsCpu = () => Promise.all(desktops.map((desktop) => processCpuMilliseconds(desktop.pid))).then((each) => each.reduce((sum, value) => sum + value, 0));
  const cpuNow = async () => ({ relay: await processCpuMilliseconds(relay.process.pid!), desktops: await desktopsCpu(), generator: process.cpuUsage(), at: performance.now() });
  let measuredFrom: Promise<Awaited<ReturnType<typeof cpuNow>>> | undefined;
  const started = performance.now();
  let sent = 0;
  // Open loop: requests leave on schedule whether or not earlier ones were answered.
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(warmUpCount + total, Math.floor(((performance.now() - started) / 1000) * ratePerSecond));
      for (; sent < due; sent += 1) {
        const index = sent - warmUpCount;
        if (index === 0) measuredFrom = cpuNow();
        const text = index < 0 ? `warm-up message ${sent}` : `bench message ${index}`;
        const start = wallClock();
        sentAt.set(text, { at: start, index });
        void sendVisitorMessage(relay.url, visitors[sent % visitors.length]!.token, text)
          .then((response) => {
            if (response.status !== 200) noteFailure(`HTTP ${response.status} ${response.body}`);
            if (index >= 0) answered.push(wallClock() - start);
          })
          .catch((error: unknown) => noteFailure(String(error)));
      }
      if (sent >= warmUpCount + total) {
        clearInterval(timer);
        resolve();
      }
    }, tickMilliseconds);
  });
  const complete = await waitUntil(() => latencies.length >= total * desktops.length, 30_000);
  const before = await measuredFrom!;
  const after = await cpuNow();
  const elapsedMilliseconds = after.at - before.at;
  const relayCpuMilliseconds = after.relay - before.relay;
  const desktopsCpuMilliseconds = after.desktops - before.desktops;
  const generatorCpu = process.cpuUsage(before.generator);
  const commits = await Promise.all(desktops.map((desktop) => desktop.stop()));
  const result = {
    ratePerSecond,
    desktops: desktops.length,
    messages: total,
    failures,
    failureReasons: Object.fromEntries(failureReasons),
    complete,
    appliedEverywhere: latencies.length,
    latencyMilliseconds: percentiles(latencies),
    // p50 / p99 of the messages sent in each measured second: a steady load or one that builds up.
    latencyBySecond: latenciesBySecond.map((each) => {
      const { p50, p99 } = percentiles(each);
      return { p50, p99 };
    }),
    warmUp: { seconds: warmUpSeconds, messages: warmUpCount, latencyMilliseconds: percentiles(warmUpLatencies) },
    visitorRequestMilliseconds: percentiles(answered),
    // Relay CPU per message (ingest + fan-out to every desktop): comparable across runs on a loaded machine, unlike latency.
    relayCpuMillisecondsPerMessage: Math.round((relayCpuMilliseconds / total) * 100) / 100,
    // The same for the desktops: CPU per event applied, summed over the 10 processes (receive, validate, apply, commit).
    desktopCpuMillisecondsPerApply: Math.round((desktopsCpuMilliseconds / Math.max(1, latencies.length)) * 1000) / 1000,
    // How the desktops batched, over the whole phase: events per transaction (a desktop that falls behind applies what has queued in one).
    eventsPerDesktopCommit: Math.round((commits.reduce((sum, each) => sum + each.events, 0) / Math.max(1, commits.reduce((sum, each) => sum + each.count, 0))) * 10) / 10,
    // Where the two cores went, from the first measured message until the last apply (or the 30 s wait): cores busy on average.
    coresBusy: {
      relay: cores(relayCpuMilliseconds, elapsedMilliseconds),
      desktops: cores(desktopsCpuMilliseconds, elapsedMilliseconds),
      loadGenerator: cores((generatorCpu.user + generatorCpu.system) / 1000, elapsedMilliseconds),
    },
    loadAverage: { before: loadAverageBefore, after: loadavg()[0]! },
  };
  await relay.stop();
  return result;
}

/** A fresh desktop catching up a backlog of `size` events. */
async function catchUp(size: number) {
  // The relay in its own process, as in production: it reads and sends the next page while the desktop applies one.
  const relay = await startRelayProcess({ environment: { RELAY_RATE_LIMIT_SCALE: '0' } });
  const { tokens } = await signInDevices(relay.url, 2);
  const writer = createRelayTestClient(relay.url, tokens[0]);
  const fillStarted = performance.now();
  await pushStaffMessages(writer.client, size, { conversations: 500, authorName: 'Bench Owner' });
  const fillSeconds = (performance.now() - fillStarted) / 1000;
  await writer.close();
  const desktop = await startBenchDesktop(relay.url, tokens[1]!);
  const started = performance.now();
  await desktop.engine.syncNow();
  const seconds = (performance.now() - started) / 1000;
  const result = { backlogEvents: size, cursor: desktop.store.cursor()?.seq, catchUpSeconds: Math.round(seconds * 1000) / 1000, eventsPerSecond: Math.round(size / seconds), fillSeconds: Math.round(fillSeconds * 10) / 10 };
  await desktop.close();
  await relay.stop();
  return result;
}

/** 100 desktops connected; the relay restarts; how long until a new message reaches all of them. */
async function reconnect(count: number) {
  const relay = await startRelayProcess({ environment: { RELAY_RATE_LIMIT_SCALE: '0' } });
  const { tokens, widgetKey } = await signInDevices(relay.url, count);
  const visitor = await widgetVisitor(relay.url, widgetKey);
  for (let index = 0; index < 100; index += 1) await sendVisitorMessage(relay.url, visitor.token, `before ${index}`);
  const arrived = new Map<number, number>();
  let marker = '';
  let markerSentAt = 0;
  const desktops: BenchDesktop[] = [];
  for (const [index, token] of tokens.entries()) {
    desktops.push(
      await startBenchDesktop(relay.url, token, (event) => {
        if (event.body.type === 'customer.message' && event.body.text === marker && !arrived.has(index)) arrived.set(index, performance.now() - markerSentAt);
      }),
    );
  }
  const connectStarted = performance.now();
  for (const desktop of desktops) desktop.engine.start();
  const head = 100;
  const allConnected = await waitUntil(() => desktops.every((desktop) => desktop.store.cursor()?.seq === head && desktop.engine.status().state === 'online'), 60_000);
  const coldConnectSeconds = (performance.now() - connectStarted) / 1000;

  await relay.kill();
  const restarted = await startRelayProcess({ port: relay.port, dataDirectory: relay.dataDirectory, environment: { RELAY_RATE_LIMIT_SCALE: '0' } });
  const restartedAt = performance.now();
  marker = 'after restart';
  markerSentAt = performance.now();
  await sendVisitorMessage(restarted.url, visitor.token, marker);
  const allReached = await waitUntil(() => arrived.size === count, 60_000);
  const reachedAllSeconds = (performance.now() - restartedAt) / 1000;
  const result = {
    desktops: count,
    allConnected,
    coldConnectAndCatchUpSeconds: Math.round(coldConnectSeconds * 100) / 100,
    allReachedAfterRestart: allReached,
    messageAfterRestartReachedAllSeconds: Math.round(reachedAllSeconds * 100) / 100,
    perDesktopMilliseconds: percentiles([...arrived.values()]),
  };
  await Promise.all(desktops.map((desktop) => desktop.close()));
  await restarted.stop();
  return result;
}

/** The floor: a bare WebSocket echo over loopback at the same rate, same process layout as the latency phase. */
async function echo(ratePerSecond: number, seconds: number) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket) => socket.on('message', (data) => socket.send(data)));
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as { port: number }).port;
  const socket = new WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise((resolve) => socket.once('open', resolve));
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  socket.on('message', (data) => {
    const id = Number(data.toString());
    latencies.push(performance.now() - sentAt.get(id)!);
  });
  const total = ratePerSecond * seconds;
  const started = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * ratePerSecond));
      for (; sent < due; sent += 1) {
        sentAt.set(sent, performance.now());
        socket.send(String(sent));
      }
      if (sent >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  await waitUntil(() => latencies.length >= total, 10_000);
  socket.close();
  server.close();
  return { ratePerSecond, messages: total, roundTripMilliseconds: percentiles(latencies) };
}

/**
 * The relay's serialisation for one live page sent to 10 subscribers: tRPC's default encoder (the
 * whole message stringified per subscriber) against the shared page (its JSON made once, spliced
 * into each small envelope). CPU only, in process; the socket writes that follow are the same.
 */
function fanOut(eventsPerPage: number, subscribers = 10, rounds = 2000) {
  const events = Array.from({ length: eventsPerPage }, (_, index) => ({
    seq: 100_000 + index,
    eventId: crypto.randomUUID(),
    conversationId: `web:${crypto.randomUUID()}`,
    occurredAt: Date.now(),
    acceptedAt: Date.now(),
    body: { type: 'customer.message', messageId: crypto.randomUUID(), channel: 'web', text: `bench message ${index}: is the large tote bag back in stock?` },
  }));
  const envelope = (id: number, page: object) => ({ id, jsonrpc: '2.0', result: { type: 'data', id: '100099', data: { id: '100099', data: page } } });
  const time = (encode: (page: object) => void) => {
    const started = performance.now();
    for (let round = 0; round < rounds; round += 1) encode({ kind: 'events', epoch: 'epoch', fromSeq: 99_999, throughSeq: 100_000 + eventsPerPage, headSeq: 100_000 + eventsPerPage, events });
    return Math.round(((performance.now() - started) / rounds) * 1000);
  };
  const encodeAll = (page: object) => {
    for (let id = 1; id <= subscribers; id += 1) liveFrameEncoder.encode(envelope(id, page));
  };
  time(encodeAll); // warm-up
  const perSubscriber = time((page) => encodeAll(page));
  const shared = time((page) => encodeAll(markShared(page)));
  return { eventsPerPage, subscribers, microsecondsPerPage: { perSubscriberJson: perSubscriber, sharedJson: shared }, ratio: Math.round((perSubscriber / shared) * 10) / 10 };
}

if (runs('fanout')) {
  report('fanOut10Events', fanOut(10));
  report('fanOut100Events', fanOut(100));
}
if (runs('echo')) report('websocketEchoFloor', await echo(1000, 5));
if (runs('latency')) {
  // ARES_BENCH_LATENCY_RATES=100 runs one rate only (default 100,1000); ARES_BENCH_SECONDS measures longer (default 10).
  const seconds = Number(process.env.ARES_BENCH_SECONDS ?? 10);
  for (const rate of (process.env.ARES_BENCH_LATENCY_RATES ?? '100,1000').split(',').map(Number)) report(`latency${rate}PerSecond`, await latency(rate, seconds, 3));
}
if (runs('catchup')) {
  report('catchUp10k', await catchUp(10_000));
  if (!phases.includes('small')) report('catchUp100k', await catchUp(100_000));
}
if (runs('reconnect')) report('reconnect100Desktops', await reconnect(100));

await mkdir('bench/results', { recursive: true });
await writeFile(`bench/results/relay-${Date.now()}.json`, JSON.stringify(results, null, 2));
process.exit(0);
