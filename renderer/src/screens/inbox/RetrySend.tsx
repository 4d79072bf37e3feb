import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';

/**
 * A reply WhatsApp or Messenger refused: the platform's reason and a Retry that puts it back in
 * the relay's send queue. The tick turns to sent when the relay reports the new attempt went out.
 */
export function RetrySend({ messageId, reason }: { messageId: string; reason: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const retry = useMutation(trpc.channels.retrySend.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.liveInbox.pathKey() }) }));
  return (
    <span className="live-message-retry">
      <span className="error">Not delivered: {reason ?? 'no reason given'}</span>
      {retry.isSuccess ? (
        <span className="hint" role="status">
          Sending again…
        </span>
      ) : (
        <button type="button" className="secondary" onClick={() => retry.mutate({ messageId })} disabled={retry.isPending}>
          Retry
        </button>
      )}
      <ErrorMessage error={retry.error} />
    </span>
  );
}
