import { AresError, isAresErrorCode } from '../../shared/errors.js';
import { catalogFileTypes, productFields, type CatalogPreview, type ColumnMapping } from '../../shared/schemas/knowledge.js';
import type { KnowledgeService } from './knowledgeService.js';
import type { StoredSource } from './knowledgeStore.js';

function requireCatalog(knowledge: KnowledgeService, sourceId: string): { source: StoredSource; bytes: Uint8Array } {
  const source = knowledge.store.source(sourceId);
  if (!source) throw new AresError('NOT_FOUND', 'That source does not exist.');
  if (!catalogFileTypes.includes(source.fileType)) throw new AresError('NOT_A_CATALOG', `"${source.name}" is a ${source.fileType} document, not a catalog; only CSV, XLSX and JSON catalogs have columns to map.`);
  const bytes = knowledge.store.original(sourceId);
  if (!bytes) throw new AresError('NOT_FOUND', `The original file of "${source.name}" is missing; import it again.`);
  return { source, bytes };
}

function sameMapping(left: ColumnMapping | null, right: ColumnMapping): boolean {
  return left !== null && productFields.every((field) => (left[field] ?? null) === (right[field] ?? null));
}

/** A catalog's columns, the mapping in use (or the one `mapping` would give) and its first rows, read from the stored original. */
export async function previewCatalog(knowledge: KnowledgeService, sourceId: string, mapping?: ColumnMapping): Promise<CatalogPreview> {
  const { source, bytes } = requireCatalog(knowledge, sourceId);
  const reading = await knowledge.embedder().previewCatalog({
    name: source.name,
    fileType: source.fileType,
    bytes,
    limits: knowledge.limits,
    ...(mapping ? { mapping } : {}),
    ...(source.columnMapping ? { previousMapping: source.columnMapping } : {}),
  });
  const confirmed = source.columnMappingConfirmed && sameMapping(source.columnMapping, reading.mapping);
  return { sourceId, name: source.name, fileType: source.fileType, confirmed, ...reading };
}

/**
 * Applies a mapping a person chose (fields left out keep their current column): an unchanged
 * mapping is only marked confirmed; a changed one reads the catalog again, replacing its products
 * and passages (re-embedded) in one step.
 */
export async function remapCatalog(knowledge: KnowledgeService, sourceId: string, mapping: ColumnMapping): Promise<CatalogPreview> {
  const preview = await previewCatalog(knowledge, sourceId, mapping);
  const { source, bytes } = requireCatalog(knowledge, sourceId);
  if (sameMapping(source.columnMapping, preview.mapping)) {
    knowledge.store.confirmColumnMapping(sourceId);
    return { ...preview, confirmed: true };
  }
  const result = await knowledge.importFile({ name: source.name, bytes, mapping: preview.mapping });
  if (result.status === 'failed') throw new AresError(isAresErrorCode(result.errorCode) ? result.errorCode : 'FILE_UNREADABLE', result.errorMessage);
  return { ...preview, confirmed: true };
}
