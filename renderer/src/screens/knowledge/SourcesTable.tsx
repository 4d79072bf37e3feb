import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatSize } from './fileUpload';

/** Every source with its type, size, chunk count, date and status; open, check a catalog's columns, delete, re-index. */
export function SourcesTable({ onOpen, onMapColumns }: { onOpen: (sourceId: string) => void; onMapColumns: (sourceId: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // While passages wait for the new model, the status column follows the background re-embedding.
  const sources = useQuery({
    ...trpc.knowledge.sources.queryOptions(),
    refetchInterval: (query) => (query.state.data?.some((source) => source.status === 'needs_reembedding') ? 2000 : false),
  });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.knowledge.pathKey() });
  const remove = useMutation(trpc.knowledge.deleteSource.mutationOptions({ onSuccess: invalidate }));
  const reindex = useMutation(trpc.knowledge.reindex.mutationOptions({ onSuccess: invalidate }));
  const guessed = sources.data?.filter((source) => source.columnMapping === 'guessed').length ?? 0;
  return (
    <section className="card" aria-labelledby="knowledge-sources-title">
      <div className="knowledge-viewer-header">
        <h2 id="knowledge-sources-title">Sources</h2>
        <button type="button" className="secondary" onClick={() => reindex.mutate()} disabled={reindex.isPending}>
          {reindex.isPending ? 'Re-indexing…' : 'Re-index'}
        </button>
      </div>
      <ErrorMessage error={sources.error ?? remove.error ?? reindex.error} />
      {sources.data?.length === 0 && <p>No sources yet. Import files above.</p>}
      {guessed > 0 && (
        <p className="notice">
          {guessed === 1 ? 'One catalog has' : `${guessed} catalogs have`} columns guessed from their headers. Use “Columns” to check which column is the SKU, name, price and so on.
        </p>
      )}
      {sources.data && sources.data.length > 0 && (
        <div style={{ overflowX: 'auto' }}>
          <table className="knowledge-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Size</th>
                <th scope="col">Chunks</th>
                <th scope="col">Updated</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sources.data.map((source) => (
                <tr key={source.id}>
                  <td>
                    <button type="button" className="link" onClick={() => onOpen(source.id)}>
                      {source.name}
                    </button>
                  </td>
                  <td>{source.fileType}</td>
                  <td>{formatSize(source.sizeBytes)}</td>
                  <td>
                    {source.chunkCount}
                    {source.productCount > 0 ? ` (${source.productCount} products)` : ''}
                  </td>
                  <td>{new Date(source.updatedAt).toLocaleString()}</td>
                  <td>
                    {source.status === 'ready' ? 'Ready' : 'Re-embedding'}
                    {source.columnMapping === 'guessed' && (
                      <>
                        {' '}
                        <span className="badge">columns guessed</span>
                      </>
                    )}
                  </td>
                  <td>
                    {source.columnMapping && (
                      <button type="button" className="secondary" aria-label={`Columns of ${source.name}`} onClick={() => onMapColumns(source.id)}>
                        Columns
                      </button>
                    )}{' '}
                    <button type="button" className="secondary" aria-label={`Delete ${source.name}`} onClick={() => remove.mutate({ sourceId: source.id })}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
