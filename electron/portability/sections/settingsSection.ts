import { tableSection } from './tableSection.js';

/**
 * Keys that look like credentials are never exported: an archive is meant to be opened by anyone
 * the owner hands it to, and a secret (API key, device token) must be entered again after restore.
 */
export const secretSettingCondition =
  "key like '%secret%' or key like '%token%' or key like '%password%' or key like '%apikey%' or key like '%api_key%' or key like '%credential%' or key like '%privatekey%'";

/** The tenant's small settings (idle lock, chosen model, retention rules...), one JSON value per key. */
export const settingsSection = tableSection({
  id: 'settings',
  title: 'Tenant settings',
  requiredTables: ['settings'],
  notAvailableNote: 'The settings table is missing.',
  tables: [
    {
      table: 'settings',
      path: 'settings/settings.jsonl',
      countName: 'settings',
      description: 'One line per setting: {"key": name, "value": the setting as JSON}. Settings that are secrets (API keys, tokens, passwords) are left out and must be entered again.',
      jsonColumns: ['value'],
      exclude: { where: secretSettingCondition, reason: 'secrets are not exported' },
    },
  ],
});
