import type { ConversationStatus } from '../../../../shared/schemas/sync';

const labels: Record<ConversationStatus, string> = { ai: 'AI', needs_human: 'Needs human', human: 'Human', resolved: 'Resolved' };

/** AI / needs human / human: who / resolved — the one place the state is worded. */
export function StatusBadge({ status, holder }: { status: ConversationStatus; holder: string | null }) {
  const text = status === 'human' && holder ? `Human: ${holder}` : labels[status];
  return (
    <span className="badge live-inbox-state" data-status={status} aria-label="Conversation state">
      {text}
    </span>
  );
}
