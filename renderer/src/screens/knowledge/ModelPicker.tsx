import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { AvailableModel } from '../../../../shared/schemas/knowledge';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';

const originLabels: Record<NonNullable<AvailableModel['origin']>, string> = {
  configured: 'installed, models folder',
  downloaded: 'installed, downloaded',
  bundled: 'installed, bundled with the app',
};

function describeModel(model: AvailableModel): string {
  if (model.origin) return `${model.modelId} (${originLabels[model.origin]})`;
  return `${model.modelId} (${model.downloadable ? 'download needed' : 'not installed'})`;
}

/**
 * Picks another embedding model for the tenant. Switching re-embeds every passage in the
 * background, so it asks first and says how much work that is.
 */
export function ModelPicker({ currentModelId }: { currentModelId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const models = useQuery(trpc.knowledge.availableModels.queryOptions());
  const sources = useQuery(trpc.knowledge.sources.queryOptions());
  const [picked, setPicked] = useState('');
  const [confirming, setConfirming] = useState(false);
  const setModel = useMutation(
    trpc.knowledge.setModel.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        setPicked('');
        return queryClient.invalidateQueries({ queryKey: trpc.knowledge.pathKey() });
      },
    }),
  );
  const others = models.data?.filter((model) => !model.current) ?? [];
  const chosen = others.find((model) => model.modelId === picked) ?? null;
  const passages = sources.data?.reduce((total, source) => total + source.chunkCount, 0) ?? 0;

  if (models.error) return <ErrorMessage error={models.error} />;
  if (!models.data) return null;
  if (others.length === 0) {
    return <p className="hint">No other embedding model is installed or offered for download. Copy a model into the models folder to switch to it.</p>;
  }
  return (
    <div className="stack">
      <div className="field">
        <label htmlFor="knowledge-model-choice">Change the model</label>
        <select
          id="knowledge-model-choice"
          value={picked}
          onChange={(event) => {
            setPicked(event.target.value);
            setConfirming(false);
          }}
        >
          <option value="">Choose a model…</option>
          {others.map((model) => (
            <option key={model.modelId} value={model.modelId}>
              {describeModel(model)}
            </option>
          ))}
        </select>
      </div>
      {chosen && !confirming && (
        <div className="actions">
          <button type="button" onClick={() => setConfirming(true)}>
            Switch model…
          </button>
        </div>
      )}
      {chosen && confirming && (
        <div className="notice" role="alertdialog" aria-labelledby="knowledge-model-confirm">
          <p id="knowledge-model-confirm">
            Switch from {currentModelId} to {chosen.modelId}?{' '}
            {passages > 0
              ? `All ${passages} passages are embedded again in the background; until that finishes, search finds fewer passages by meaning (words still match).`
              : 'Nothing is imported yet, so there is nothing to re-embed.'}
            {!chosen.installed && ' The model is not installed yet: download it after switching, and search waits until it is.'}
          </p>
          <ErrorMessage error={setModel.error} />
          <div className="actions">
            <button type="button" className="secondary" onClick={() => setConfirming(false)} disabled={setModel.isPending}>
              Cancel
            </button>
            <button type="button" onClick={() => setModel.mutate({ modelId: chosen.modelId })} disabled={setModel.isPending}>
              {setModel.isPending ? 'Switching…' : 'Switch and re-embed'}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
