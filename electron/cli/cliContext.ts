import { TRPCError } from '@trpc/server';
import { AresError, errorMessages, isAresErrorCode } from '../../shared/errors.js';
import { AresCore } from '../core/aresCore.js';
import { createCoreCaller } from '../core/appRouter.js';
import { defaultDataDirectory } from '../core/dataDirectory.js';
import { readTenantPassphrase } from './passphraseInput.js';

export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
}

export type CoreCaller = ReturnType<typeof createCoreCaller>;

/** Runs `work` against a fresh core over the same router the UI uses, and always disposes it. */
export async function withCore<T>(options: GlobalOptions, work: (caller: CoreCaller) => Promise<T>): Promise<T> {
  const core = new AresCore({ dataDirectory: options.dataDir ?? defaultDataDirectory() });
  try {
    return await work(createCoreCaller({ core }));
  } finally {
    await core.dispose();
  }
}

/** Unlocks `tenantName` with the passphrase from the environment or standard input, then runs `work`. */
export async function withTenant<T>(options: GlobalOptions, tenantName: string, work: (caller: CoreCaller) => Promise<T>): Promise<T> {
  const passphrase = await readTenantPassphrase();
  return withCore(options, async (caller) => {
    await caller.vault.unlock({ name: tenantName, passphrase });
    return work(caller);
  });
}

export function printResult(options: GlobalOptions, value: unknown, text: string): void {
  process.stdout.write(options.json ? `${JSON.stringify(value)}\n` : `${text}\n`);
}

/** One line on stderr with the error's readable message and code; never a stack trace. */
export function describeFailure(error: unknown): { code: string; message: string } {
  if (error instanceof TRPCError) {
    const cause = error.cause;
    if (cause instanceof AresError) return { code: cause.code, message: cause.message };
    if (cause && 'issues' in cause && Array.isArray((cause as { issues: unknown[] }).issues)) {
      const issue = (cause as { issues: { message: string; path: (string | number)[] }[] }).issues[0];
      return { code: 'INVALID_INPUT', message: issue ? `${issue.path.join('.')}: ${issue.message}`.replace(/^: /, '') : errorMessages.INVALID_INPUT };
    }
    if (isAresErrorCode(error.message)) return { code: error.message, message: errorMessages[error.message] };
  }
  if (error instanceof AresError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: 'ERROR', message: error.message };
  return { code: 'ERROR', message: String(error) };
}
