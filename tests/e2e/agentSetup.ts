import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A data folder holding the "Acme Bags" tenant with its FAQ and catalog imported, and the env web mode needs. */
export async function prepareAgentTenant(): Promise<{ dataDirectory: string; environment: NodeJS.ProcessEnv }> {
  const dataDirectory = await mkdtemp(join(tmpdir(), 'ares-e2e-agent-'));
  const output = execFileSync(process.execPath, ['--import', 'tsx', 'electron/agent/testing/prepareAgentTenant.ts', dataDirectory], { encoding: 'utf8', timeout: 120_000 });
  const environment: NodeJS.ProcessEnv = {};
  for (const line of output.split('\n')) {
    const match = /^(ARES_[A-Z_]+)=(.*)$/.exec(line);
    if (match) environment[match[1]!] = match[2]!;
  }
  return { dataDirectory, environment };
}
