import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatSize } from './fileUpload';

/** Which embedding model the tenant uses, whether it is installed, and its download or re-embedding progress. */
export function ModelPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery({ ...trpc.knowledge.modelStatus.queryOptions(), refetchInterval: (query) => (query.state.data && (query.state.data.download.state === 'downloading' || query.state.data.reembedding.state === 'running' || query.state.data.index.annIndex === 'building' || !query.state.data.index.ready) ? 1000 : false) });
  const download = useMutation(trpc.knowledge.downloadModel.mutationOptions({ onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.knowledge.pathKey() }) }));
  const model = status.data;
  return (
    <section className="card knowledge-model" aria-labelledby="knowledge-model-title">
      <h2 id="knowledge-model-title">Embedding model</h2>
      <ErrorMessage error={status.error ?? download.error} />
      {model && (
        <>
          <p>
            <strong>{model.modelId}</strong> — {model.installed ? `installed (${model.dimension ?? '?'} dimensions, version ${model.version ?? '?'})` : 'not installed'}
          </p>
          {!model.installed && model.downloadable && (
            <button type="button" onClick={() => download.mutate()} disabled={download.isPending}>
              Download model
            </button>
          )}
          {model.download.state === 'downloading' && (
            <p role="status">
              Downloading… {formatSize(model.download.receivedBytes)}
              {model.download.totalBytes > 0 ? ` of ${formatSize(model.download.totalBytes)}` : ''}
            </p>
          )}
          {model.download.state === 'failed' && <p className="error">{model.download.error}</p>}
          {model.reembedding.state === 'running' && (
            <p role="status">
              Re-embedding with the new model: {model.reembedding.done} of {model.reembedding.total} passages.
            </p>
          )}
          <p className="hint">
            Index: {model.index.ready ? `${model.index.rows} passages in memory` : 'loading…'}
            {model.index.annIndex === 'building' ? ', building the fast vector index' : model.index.annIndex === 'ready' ? ', fast vector index ready' : ''}.
          </p>
        </>
      )}
    </section>
  );
}
