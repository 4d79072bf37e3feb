import { randomBytes } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggedEvent } from '../shared/schemas/sync.js';
import { inboxProjector } from '../electron/inbox/index.js';
import { realScheduler, SyncEngine, SyncStore, type SyncProjector } from '../electron/sync/index.js';
import { TrpcRelayTransport } from '../electron/sync/trpcRelayTransport.js';
import { openTenantDatabase } from '../electron/vault/tenantDatabase.js';

export function percentiles(values: number[]): { count: number; p50: number; p95: number; p99: number; max: number; mean: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    count: sorted.length,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(sorted.at(-1) ?? Number.NaN),
    mean: round(sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length)),
  };
}

export interface BenchDesktop {
  engine: SyncEngine;
  store: SyncStore;
  /** Transactions that applied at least one event, and how many events they held. */
  commits: { count: number; events: number };
  close(): Promise<void>;
}

/** A desktop as the app runs it (real engine, SQLCipher file, tRPC over HTTP and WebSocket), with an apply hook. */
export async function startBenchDesktop(relayUrl: string, deviceToken: string, onApply?: (event: LoggedEvent) => void): Promise<BenchDesktop> {
  const directory = await mkdtemp(join(tmpdir(), 'ares-bench-desktop-'));
  const database = openTenantDatabase(directory, randomBytes(32));
  // Events count as applied once their page has committed, not while its transaction is still open.
  const applied: LoggedEvent[] = [];
  const commits = { count: 0, events: 0 };
  const projector: SyncProjector = {
    ...inboxProjector,
    applyConfirmed(db, event) {
      inboxProjector.applyConfirmed(db, event);
      applied.push(event);
    },
  };
  const store = new (class extends SyncStore {
    override applyPage(page: Parameters<SyncStore['applyPage']>[0]) {
      let outcome: ReturnType<SyncStore['applyPage']>;
      try {
        outcome = super.applyPage(page);
      } catch (error) {
        applied.length = 0;
        throw error;
      }
      if (applied.length > 0) {
        commits.count += 1;
        commits.events += applied.length;
      }
      for (const event of applied.splice(0)) onApply?.(event);
      return outcome;
    }
  })(database, projector);
  const engine = new SyncEngine({ store, transport: new TrpcRelayTransport(relayUrl, deviceToken), scheduler: realScheduler });
  return {
    engine,
    store,
    commits,
    async close() {
      engine.stop();
      database.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export async function waitUntil(probe: () => boolean, timeoutMilliseconds: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMilliseconds;
  while (performance.now() < deadline) {
    if (probe()) return true;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return probe();
}

export async function widgetVisitor(relayUrl: string, widgetKey: string): Promise<{ token: string; conversationId: string }> {
  const response = await fetch(`${relayUrl}/widget/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ widgetKey }) });
  const body = (await response.json()) as { visitorToken: string; conversationId: string };
  return { token: body.visitorToken, conversationId: body.conversationId };
}

/**
 * One reused pool of keep-alive sockets for the visitor load: the load generator shares the two
 * cores with the relay and the desktops, so it must cost as little as possible per request
 * (`fetch` cost ~0.8 ms of CPU per request here, more than the relay spends answering it).
 */
const visitorAgent = new Agent({ keepAlive: true, maxSockets: 64 });

export function sendVisitorMessage(relayUrl: string, token: string, text: string): Promise<{ status: number; body: string }> {
  const payload = JSON.stringify({ clientMessageId: crypto.randomUUID(), text });
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${relayUrl}/widget/v1/messages`, {
      method: 'POST',
      agent: visitorAgent,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload), Authorization: `Bearer ${token}` },
    });
    request.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(payload);
  });
}

/**
 * CPU time (user + system) a process has used, from /proc (Linux; clock ticks of 10 ms). Less
 * sensitive than latency to other jobs on a shared machine: it counts work done, not time waited.
 */
export async function processCpuMilliseconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
