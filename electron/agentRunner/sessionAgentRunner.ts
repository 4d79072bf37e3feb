import type { AresCore } from '../core/aresCore.js';
import { syncServiceFor } from '../sync/index.js';
import type { TenantSession } from '../vault/index.js';
import { AgentRunner, type AgentRunnerOptions } from './agentRunner.js';

const serviceKey = 'agentRunner';
const runners = new WeakMap<TenantSession, AgentRunner>();

/** The tenant's agent runner, created (and so competing for the lease) on first use. */
export function agentRunnerFor(session: TenantSession, dataDirectory: string, options: Partial<AgentRunnerOptions> = {}): AgentRunner {
  return session.service(serviceKey, () => {
    const runner = new AgentRunner({ session, sync: syncServiceFor(session), dataDirectory, ...options });
    runners.set(session, runner);
    return runner;
  });
}

/** The runner of this session if one was started (a take-over on this desktop stops it at once). */
export function runningAgentRunner(session: TenantSession): AgentRunner | null {
  return session.closed ? null : (runners.get(session) ?? null);
}

/**
 * Starts sync and the agent runner as soon as a tenant is unlocked, so live conversations are
 * answered without anyone opening the inbox. Electron and web mode call this; the CLI does not
 * (a short-lived command must not take the lease).
 */
export function attachAgentRunnerToCore(core: AresCore, options: Partial<AgentRunnerOptions> = {}): () => void {
  const start = () => {
    if (core.session && !core.session.closed) agentRunnerFor(core.session, core.vault.dataDirectory, options);
  };
  start();
  return core.onStateChange((change) => {
    if (change.reason === 'unlocked') start();
  });
}
