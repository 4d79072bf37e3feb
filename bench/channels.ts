/**
 * Channel benchmarks (issue 5), JSON on stdout. Bounded: each phase runs a few seconds.
 *
 *   npx tsx bench/channels.ts            # starts a durable throwaway PostgreSQL (fsync on) via scripts/start-test-postgres.sh
 *   ARES_BENCH_DATABASE_URL=postgres://… npx tsx bench/channels.ts
 *
 * 1. Webhook ingest, SQLite and PostgreSQL side by side: open-loop signed WhatsApp webhooks at fixed
 *    rates; latency from sending to the 200 (which means committed); afterwards every message
 *    answered 200 must be in the log exactly once.
 * 2. End to end across two instances on PostgreSQL: webhook into instance A, a real desktop core
 *    attached to instance B; latency until the desktop has applied the message.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { signMetaPayload } from '../relay/channels/meta/webhookSignature.js';
import { dropPostgresSchema, freshPostgresUrl } from '../relay/testing/testStorage.js';
import { startTestRelay, type TestRelay } from '../relay/testing/relayTestHarness.js';
import { createDesktop, ownerAccount } from '../tests/integration/relayTestSupport.js';

const phoneNumberId = '106540352242922';
const appSecret = 'bench-app-secret';
const phaseSeconds = Number(process.env.ARES_BENCH_SECONDS ?? 4);
const rates = (process.env.ARES_BENCH_RATES ?? '50,200').split(',').map(Number);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? Number(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!.toFixed(2)) : null;
};
const summary = (values: number[]) => ({ count: values.length, p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), max: percentile(values, 100) });

function webhook(id: string, text: string): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '1', changes: [{ field: 'messages', value: { metadata: { phone_number_id: phoneNumberId }, contacts: [{ wa_id: '4915112345678', profile: { name: 'Load' } }], messages: [{ id, from: `49151${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }] } }] }],
  });
}

async function connectedRelay(relay: TestRelay, email: string) {
  const signedIn = await relay.client().account.registerTenant.mutate({ businessName: 'Bench', ownerName: 'Bench Owner', email, password: 'a long enough password', deviceName: 'bench' });
  const view = await relay.client(signedIn.deviceToken).channels.configureWhatsapp.mutate({ phoneNumberId, businessAccountId: '102290129340398', accessToken: 'EAAG-bench', appSecret, templates: [] });
  return { tenantId: signedIn.tenantId, deviceToken: signedIn.deviceToken, path: new URL(view.callbackUrl).pathname };
}

async function post(url: string, body: string): Promise<number> {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signMetaPayload(body, appSecret) }, body });
  await response.arrayBuffer();
  return response.status;
}

/** Open loop: requests start on schedule whether or not earlier ones finished (no coordinated omission). */
async function ingestPhase(relay: TestRelay, path: string, rate: number) {
  const latencies: number[] = [];
  const accepted: string[] = [];
  let failures = 0;
  const total = rate * phaseSeconds;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let index = 0; index < total; index += 1) {
    const due = started + (index * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const id = `wamid.bench.${randomUUID()}`;
    const body = webhook(id, `load ${index}`);
    inFlight.push(
      post(`${relay.url}${path}`, body).then((status) => {
        latencies.push(performance.now() - due);
        if (status === 200) accepted.push(id);
        else failures += 1;
      }),
    );
  }
  await Promise.all(inFlight);
  return { rate, seconds: phaseSeconds, achievedRate: Number((total / ((performance.now() - started) / 1000)).toFixed(1)), failures, latencyMilliseconds: summary(latencies), accepted };
}

async function verifyCommitted(relay: TestRelay, tenantId: string, accepted: string[]) {
  const seen = new Map<string, number>();
  for (let after = 0; ; ) {
    const page = await relay.services.storage.readLog(tenantId, after, 5000);
    if (page.length === 0) break;
    for (const event of page) if (event.body.type === 'customer.message') seen.set(event.body.messageId, (seen.get(event.body.messageId) ?? 0) + 1);
    after = page.at(-1)!.seq;
  }
  const missing = accepted.filter((id) => seen.get(`whatsapp:${id}`) !== 1).length;
  return { acceptedRequests: accepted.length, everyAcceptedMessageInLogExactlyOnce: missing === 0, missingOrDuplicated: missing };
}

async function ingestBenchmark(kind: 'sqlite' | 'postgres', databaseUrl?: string) {
  const relay = await startTestRelay({ rateLimitScale: 0, outboundPollMilliseconds: 1000, ...(databaseUrl ? { databaseUrl } : {}) });
  try {
    const { tenantId, path } = await connectedRelay(relay, `bench-${kind}-${Date.now()}@example.test`);
    const phases = [];
    for (const rate of rates) {
      const { accepted, ...phase } = await ingestPhase(relay, path, rate);
      phases.push({ ...phase, ...(await verifyCommitted(relay, tenantId, accepted)), p99Under250Milliseconds: (phase.latencyMilliseconds.p99 ?? Infinity) < 250 });
    }
    return { storage: kind, durability: kind === 'sqlite' ? 'WAL, synchronous=NORMAL (survives kill -9; not power loss)' : 'fsync on, synchronous_commit on', phases };
  } finally {
    await relay.stop();
  }
}

async function endToEndBenchmark(databaseUrl: string) {
  const shared = { databaseUrl, masterKey: 'be'.repeat(32), rateLimitScale: 0, outboundPollMilliseconds: 1000 };
  const first = await startTestRelay(shared);
  const second = await startTestRelay(shared);
  const desktop = await createDesktop('Bench');
  try {
    await desktop.caller.sync.register({ relayUrl: second.url, ...ownerAccount, email: `e2e-${Date.now()}@example.test` });
    const token = desktop.sync().store.connection()!.deviceToken;
    const view = await first.client(token).channels.configureWhatsapp.mutate({ phoneNumberId, businessAccountId: '102290129340398', accessToken: 'EAAG-bench', appSecret, templates: [] });
    const path = new URL(view.callbackUrl).pathname;
    const database = desktop.core.requireSession().database;
    const pending = new Map<string, number>();
    const latencies: number[] = [];
    const check = () => {
      for (const [id, sentAt] of pending) {
        if (database.prepare('select 1 from inbox_messages where message_id = ?').get(`whatsapp:${id}`)) {
          latencies.push(performance.now() - sentAt);
          pending.delete(id);
        }
      }
    };
    const stop = desktop.sync().onChange(check);
    const rate = 20;
    const total = rate * phaseSeconds;
    for (let index = 0; index < total; index += 1) {
      const id = `wamid.e2e.${randomUUID()}`;
      pending.set(id, performance.now());
      void post(`${first.url}${path}`, webhook(id, `e2e ${index}`));
      await new Promise((resolve) => setTimeout(resolve, 1000 / rate));
    }
    const deadline = Date.now() + 15_000;
    while (pending.size > 0 && Date.now() < deadline) {
      check();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    stop();
    return { path: 'webhook → instance A → PostgreSQL → NOTIFY → instance B → desktop core apply', rate, messages: total, notApplied: pending.size, latencyMilliseconds: summary(latencies) };
  } finally {
    await desktop.dispose();
    await first.stop();
    await second.stop();
  }
}

let stopPostgres: (() => void) | null = null;
let baseUrl = process.env.ARES_BENCH_DATABASE_URL;
if (!baseUrl) {
  const environment = { ...process.env, ARES_TEST_POSTGRES_DIR: '/tmp/ares-bench-postgres', ARES_TEST_POSTGRES_DURABLE: '1' };
  const line = execFileSync('bash', ['scripts/start-test-postgres.sh'], { env: environment, encoding: 'utf8' });
  baseUrl = /'(postgres:[^']+)'/.exec(line)![1]!;
  stopPostgres = () => execFileSync('bash', ['scripts/start-test-postgres.sh', '--stop'], { env: environment });
}
const schemaUrls = [freshPostgresUrl(baseUrl), freshPostgresUrl(baseUrl)];
try {
  const machine = { node: process.version, cpus: (await import('node:os')).cpus().length };
  const sqlite = await ingestBenchmark('sqlite');
  const postgres = await ingestBenchmark('postgres', schemaUrls[0]);
  const endToEnd = await endToEndBenchmark(schemaUrls[1]!);
  console.log(JSON.stringify({ benchmark: 'channels', machine, ingest: [sqlite, postgres], endToEndTwoInstances: endToEnd }, null, 2));
} finally {
  for (const url of schemaUrls) await dropPostgresSchema(url).catch(() => {});
  stopPostgres?.();
}
process.exit(0);
