import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { productFields, type CatalogPreview, type ColumnMapping, type ProductField } from '../../../../shared/schemas/knowledge';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';

export const productFieldLabels: Record<ProductField, string> = {
  sku: 'SKU',
  name: 'Name',
  description: 'Description',
  price: 'Price',
  currency: 'Currency',
  stock: 'Stock',
  url: 'URL',
};

/** Column → field, the shape a select per column edits. */
type ColumnChoices = Record<string, ProductField | ''>;

function choicesOf(preview: CatalogPreview): ColumnChoices {
  const choices: ColumnChoices = Object.fromEntries(preview.columns.map((column) => [column, '']));
  for (const field of productFields) {
    const column = preview.mapping[field];
    if (column) choices[column] = field;
  }
  return choices;
}

/** Every field named, so nothing is guessed again: what the person sees is what is applied. */
function mappingOf(choices: ColumnChoices): ColumnMapping {
  const mapping: ColumnMapping = Object.fromEntries(productFields.map((field) => [field, null]));
  for (const [column, field] of Object.entries(choices)) if (field) mapping[field] = column;
  return mapping;
}

/**
 * A catalog's first rows with a select per column: the app's guess of which column is the SKU,
 * name, price and so on, which a person confirms or changes (a change re-reads and re-indexes it).
 */
export function CatalogMappingPanel({ sourceId, onClose }: { sourceId: string; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const preview = useQuery(trpc.knowledge.catalogPreview.queryOptions({ sourceId }));
  const [draft, setDraft] = useState<{ sourceId: string; choices: ColumnChoices } | null>(null);
  const remap = useMutation(
    trpc.knowledge.remapCatalog.mutationOptions({
      onSuccess: () => {
        setDraft(null);
        return queryClient.invalidateQueries({ queryKey: trpc.knowledge.pathKey() });
      },
    }),
  );
  const data = preview.data;
  const saved = data ? choicesOf(data) : {};
  const choices = draft && draft.sourceId === sourceId ? draft.choices : saved;
  const changed = data ? data.columns.some((column) => choices[column] !== saved[column]) : false;

  const choose = (column: string, field: ProductField | '') => {
    const next = { ...choices };
    // A field has one column: choosing it for this column takes it from the one that had it.
    if (field) for (const [other, otherField] of Object.entries(next)) if (otherField === field) next[other] = '';
    next[column] = field;
    setDraft({ sourceId, choices: next });
  };

  return (
    <section className="card" aria-labelledby="catalog-mapping-title">
      <div className="knowledge-viewer-header">
        <h2 id="catalog-mapping-title">Columns of {data?.name ?? 'the catalog'}</h2>
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
      <ErrorMessage error={preview.error} />
      {preview.isPending && <p role="status">Reading the catalog…</p>}
      {data && (
        <>
          <p role="status">
            {data.confirmed
              ? 'This mapping is confirmed.'
              : 'These columns were guessed from the header names. Check them, then confirm or change them.'}{' '}
            Columns not used for a field stay searchable as attributes.
          </p>
          {data.columns.length === 0 ? (
            <p>This catalog has no columns.</p>
          ) : (
            <div style={{ overflowX: 'auto' }}>
              <table className="knowledge-table" aria-label="Catalog preview">
                <thead>
                  <tr>
                    {data.columns.map((column) => (
                      <th scope="col" key={column}>
                        <div>{column}</div>
                        <select aria-label={`Field for column ${column}`} value={choices[column] ?? ''} onChange={(event) => choose(column, event.target.value as ProductField | '')}>
                          <option value="">Attribute</option>
                          {productFields.map((field) => (
                            <option key={field} value={field}>
                              {productFieldLabels[field]}
                            </option>
                          ))}
                        </select>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.sampleRows.map((row, index) => (
                    <tr key={index}>
                      {data.columns.map((column) => (
                        <td key={column} className="knowledge-description">
                          {row[column]?.slice(0, 80)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p className="hint">
            {data.sampleRows.length === 0 ? 'The catalog has a header row but no products.' : `The first ${data.sampleRows.length} of ${data.rowCount} rows.`}
          </p>
          <ErrorMessage error={remap.error} />
          <div className="actions">
            {changed && (
              <button type="button" className="secondary" onClick={() => setDraft(null)} disabled={remap.isPending}>
                Undo changes
              </button>
            )}
            <button type="button" onClick={() => remap.mutate({ sourceId, mapping: mappingOf(choices) })} disabled={remap.isPending || (!changed && data.confirmed)}>
              {remap.isPending ? 'Re-indexing…' : changed ? 'Apply and re-index' : 'Confirm mapping'}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
