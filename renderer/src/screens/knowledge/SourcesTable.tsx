import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatSize } from './fileUpload';

/** Every source with its type, size, chunk count, date and status; open, delete, re-index. */
export function SourcesTable({ onOpen }: { onOpen: (sourceId: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sources = useQuery(trpc.knowledge.sources.queryOptions());
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.knowledge.pathKey() });
  const remove = useMutation(trpc.knowledge.deleteSource.mutationOptions({ onSuccess: invalidate }));
  const reindex = useMutation(trpc.knowledge.reindex.mutationOptions({ onSuccess: invalidate }));
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
      {sources.data && sources.data.length > 0 && (
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
                <td>{source.status === 'ready' ? 'Ready' : 'Re-embedding'}</td>
                <td>
                  <button type="button" className="secondary" aria-label={`Delete ${source.name}`} onClick={() => remove.mutate({ sourceId: source.id })}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
