import { z } from 'zod';
import { agentSettingsSchema, defaultAgentSettings, type AgentSettings, type AgentSettingsView } from '../../shared/schemas/agent.js';
import { readSetting, writeSetting, type TenantDatabase } from '../vault/index.js';

const settingsKey = 'agent.settings';
const apiKeyName = 'model.apiKey';

/**
 * Stored settings laid over the defaults, so a setting added in a later version gets its default
 * instead of making the whole stored record invalid.
 */
export function readAgentSettings(database: TenantDatabase): AgentSettings {
  const stored = readSetting(database, settingsKey, z.record(z.string(), z.unknown()), {});
  const merged = {
    ...defaultAgentSettings,
    ...stored,
    handOff: { ...defaultAgentSettings.handOff, ...(isObject(stored.handOff) ? stored.handOff : {}) },
    model: { ...defaultAgentSettings.model, ...(isObject(stored.model) ? stored.model : {}) },
  };
  const parsed = agentSettingsSchema.safeParse(merged);
  return parsed.success ? parsed.data : defaultAgentSettings;
}

export function writeAgentSettings(database: TenantDatabase, settings: AgentSettings): void {
  writeSetting(database, settingsKey, agentSettingsSchema.parse(settings));
}

/** The key stays in the encrypted database and in the core; the UI only learns whether one is set. */
export function readApiKey(database: TenantDatabase): string | null {
  const row = database.prepare('select value from agent_secrets where name = ?').get(apiKeyName) as { value: string } | undefined;
  return row?.value ?? null;
}

export function writeApiKey(database: TenantDatabase, apiKey: string | null): void {
  if (apiKey === null) database.prepare('delete from agent_secrets where name = ?').run(apiKeyName);
  else database.prepare('insert into agent_secrets (name, value) values (?, ?) on conflict (name) do update set value = excluded.value').run(apiKeyName, apiKey);
}

export function agentSettingsView(database: TenantDatabase): AgentSettingsView {
  return { ...readAgentSettings(database), apiKeySet: readApiKey(database) !== null };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
