import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatSize } from './fileUpload';
import { ModelPicker } from './ModelPicker';

/** Which embedding model the tenant uses, whether it is installed, its download or re-embedding progress, and a picker to change it. */
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
      {status.isPending && <p role="status">Checking the model…</p>}
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
            <div role="status">
              <p>
                Re-embedding with the new model: {model.reembedding.done} of {model.reembedding.total} passages.
              </p>
              <progress aria-label="Re-embedding progress" max={Math.max(1, model.reembedding.total)} value={model.reembedding.done} />
            </div>
          )}
          {model.reembedding.state === 'done' && model.reembedding.total > 0 && <p role="status">Re-embedding finished: {model.reembedding.total} passages use this model.</p>}
          {model.reembedding.state === 'failed' && <p className="error">Re-embedding stopped: {model.reembedding.error}</p>}
          {model.download.state === 'downloading' && model.download.totalBytes > 0 && (
            <progress aria-label="Download progress" max={model.download.totalBytes} value={model.download.receivedBytes} />
          )}
          <p className="hint">
            Index: {model.index.ready ? `${model.index.rows} passages in memory` : model.installed ? 'loading…' : 'waiting for the model'}
            {model.index.annIndex === 'building' ? ', building the fast vector index' : model.index.annIndex === 'ready' ? ', fast vector index ready' : ''}.
          </p>
          {!model.installed && !model.downloadable && <p className="error">This model cannot be downloaded by the app. Copy it into the models folder, or choose another model.</p>}
          <ModelPicker currentModelId={model.modelId} />
        </>
      )}
    </section>
  );
}
