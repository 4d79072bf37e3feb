import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AresCore } from '../core/aresCore.js';
import { strongPassphrase, temporaryDirectory, testKdfParameters } from '../vault/testSupport.js';
import { exportTenant } from './exportTenant.js';
import { exportSections } from './sections/index.js';
import { readArchiveContents } from './testing/archiveContents.js';
import { seedTenant } from './testing/seedTenant.js';

const schemaFolder = join(import.meta.dirname, '../../docs/export-format');

/** Which documented schema each JSON Lines file of the archive follows. */
const schemaOfFile: Record<string, string> = {
  'settings/settings.jsonl': 'setting.schema.json',
  'conversations/conversations.jsonl': 'conversation.schema.json',
  'conversations/messages.jsonl': 'message.schema.json',
  'conversations/events.jsonl': 'event.schema.json',
  'knowledge/sources.jsonl': 'source.schema.json',
  'knowledge/chunks.jsonl': 'chunk.schema.json',
  'knowledge/products.jsonl': 'product.schema.json',
  'agent/decisions.jsonl': 'decision.schema.json',
  'privacy/audit.jsonl': 'audit.schema.json',
};

describe('the documented export format', () => {
  let directory: Awaited<ReturnType<typeof temporaryDirectory>>;
  let contents: Map<string, string>;
  const ajv = new Ajv({ allErrors: true });
  beforeAll(async () => {
    directory = await temporaryDirectory();
    const core = new AresCore({ dataDirectory: join(directory.path, 'data'), kdfParameters: testKdfParameters });
    await core.createTenant('Acme Bikes', strongPassphrase);
    seedTenant(core.requireSession().database, { conversations: 5, messagesPerConversation: 3, documents: 2, documentBytes: 1000, products: 4, now: Date.now() });
    const archive = join(directory.path, 'acme.zip');
    await exportTenant(core.requireSession(), { destination: archive, includeVectors: true });
    // A second export puts a line in the audit trail, so its schema is exercised too.
    await exportTenant(core.requireSession(), { destination: join(directory.path, 'again.zip') });
    contents = await readArchiveContents(join(directory.path, 'again.zip'));
    await core.dispose();
    for (const file of await readdir(schemaFolder)) ajv.addSchema(JSON.parse(await readFile(join(schemaFolder, file), 'utf8')), file);
  });
  afterAll(() => directory.remove());

  it('has a manifest that validates against manifest.schema.json', () => {
    const validate = ajv.getSchema('manifest.schema.json')!;
    expect(validate(JSON.parse(contents.get('manifest.json')!)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('has JSON Lines files whose every line validates against its documented schema', () => {
    for (const [path, schema] of Object.entries(schemaOfFile)) {
      const text = contents.get(path);
      expect(text, `${path} is in the archive`).toBeDefined();
      const lines = text!.split('\n').filter((line) => line !== '');
      expect(lines.length, `${path} has records`).toBeGreaterThan(0);
      const validate = ajv.getSchema(schema)!;
      for (const line of lines) expect(validate(JSON.parse(line)), `${path}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('documents every file the sections write', async () => {
    const documentation = await readFile(join(import.meta.dirname, '../../docs/export-format.md'), 'utf8');
    for (const section of exportSections) for (const [path] of section.describeFiles()) expect(documentation, path).toContain(path);
    for (const path of Object.keys(schemaOfFile)) expect(documentation).toContain(path);
  });
});
