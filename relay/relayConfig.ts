import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/**
 * Relay configuration, lowest to highest precedence: defaults, a JSON file (`--config` or
 * RELAY_CONFIG), environment variables, command-line flags.
 */
export const relayConfigSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(7420),
  dataDir: z.string().min(1).default(join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'ares-relay')),
  publicUrl: z.url().optional(),
  tlsCertFile: z.string().optional(),
  tlsKeyFile: z.string().optional(),
  logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Believe X-Forwarded-For (only behind a reverse proxy you run). */
  trustProxy: z.coerce.boolean().default(false),
  /** Multiplies every rate limit; 0 disables them (load benchmarks only). */
  rateLimitScale: z.coerce.number().min(0).default(1),
  autoReplyCheckSeconds: z.coerce.number().min(0.05).default(5),
  /** scrypt cost for password hashes (2^N); lower only in tests. */
  scryptCost: z.coerce.number().int().min(10).max(20).default(15),
  /** PostgreSQL (postgres://…) instead of SQLite: several relay instances can then share one database. */
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres://').optional(),
  /**
   * How the SQLite relay commits. `full`: every commit reaches the disk before the relay answers,
   * so a message it accepted survives a power cut. `normal`: survives a crashed or killed relay,
   * but a power cut can lose the last commits. PostgreSQL commits durably either way.
   */
  sqliteSynchronous: z.enum(['full', 'normal'], { error: 'must be full or normal' }).default('full'),
  /** 32-byte key (hex or base64) that seals channel secrets; without it a key file is created in the data folder. */
  masterKey: z.string().optional(),
  /** Where WhatsApp/Messenger replies are sent (a simulator in tests). */
  graphApiBaseUrl: z.url().default('https://graph.facebook.com'),
  graphApiVersion: z.string().regex(/^v\d+\.\d+$/).default('v21.0'),
  outboundRetryBaseMilliseconds: z.coerce.number().int().min(1).default(2000),
  outboundMaximumAttempts: z.coerce.number().int().min(1).max(20).default(6),
  outboundPollMilliseconds: z.coerce.number().int().min(10).default(1000),
  /** How often erasures left unapplied, retention rules and account closures that are due are checked (1 hour). */
  privacyCheckSeconds: z.coerce.number().min(0.05).default(3600),
});
export type RelayConfig = z.infer<typeof relayConfigSchema>;

const environmentNames: Record<keyof RelayConfig, string> = {
  host: 'RELAY_HOST',
  port: 'RELAY_PORT',
  dataDir: 'RELAY_DATA_DIR',
  publicUrl: 'RELAY_PUBLIC_URL',
  tlsCertFile: 'RELAY_TLS_CERT',
  tlsKeyFile: 'RELAY_TLS_KEY',
  logLevel: 'RELAY_LOG_LEVEL',
  trustProxy: 'RELAY_TRUST_PROXY',
  rateLimitScale: 'RELAY_RATE_LIMIT_SCALE',
  autoReplyCheckSeconds: 'RELAY_AUTO_REPLY_CHECK_SECONDS',
  scryptCost: 'RELAY_SCRYPT_COST',
  databaseUrl: 'DATABASE_URL',
  sqliteSynchronous: 'RELAY_SQLITE_SYNCHRONOUS',
  masterKey: 'RELAY_MASTER_KEY',
  graphApiBaseUrl: 'ARES_GRAPH_API_BASE_URL',
  graphApiVersion: 'ARES_GRAPH_API_VERSION',
  outboundRetryBaseMilliseconds: 'RELAY_OUTBOUND_RETRY_BASE_MS',
  outboundMaximumAttempts: 'RELAY_OUTBOUND_MAXIMUM_ATTEMPTS',
  outboundPollMilliseconds: 'RELAY_OUTBOUND_POLL_MS',
  privacyCheckSeconds: 'RELAY_PRIVACY_CHECK_SECONDS',
};

/** "RELAY_PORT (port): …": the names a setting goes by in the environment and in a configuration file. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const key = String(issue.path[0] ?? '');
  const name = key in environmentNames ? `${environmentNames[key as keyof RelayConfig]} (${key})` : key || 'configuration';
  return `${name}: ${issue.message}`;
}

export function loadRelayConfig(flags: Partial<Record<keyof RelayConfig, string>> & { config?: string }, environment: NodeJS.ProcessEnv = process.env): RelayConfig {
  const fileName = flags.config ?? environment.RELAY_CONFIG;
  const fromFile = fileName ? (JSON.parse(readFileSync(resolve(fileName), 'utf8')) as Record<string, unknown>) : {};
  const fromEnvironment: Record<string, string> = {};
  for (const [key, name] of Object.entries(environmentNames)) {
    const value = environment[name];
    if (value !== undefined && value !== '') fromEnvironment[key] = value;
  }
  const fromFlags = Object.fromEntries(Object.entries(flags).filter(([key, value]) => key !== 'config' && value !== undefined));
  const merged = { ...fromFile, ...fromEnvironment, ...fromFlags };
  if (typeof merged.trustProxy === 'string') merged.trustProxy = merged.trustProxy === 'true' || merged.trustProxy === '1';
  const parsed = relayConfigSchema.safeParse(merged);
  if (!parsed.success) throw new Error(parsed.error.issues.map(describeIssue).join('\n'));
  const config = parsed.data;
  if ((config.tlsCertFile === undefined) !== (config.tlsKeyFile === undefined)) throw new Error('Give both RELAY_TLS_CERT and RELAY_TLS_KEY, or neither.');
  return config;
}
