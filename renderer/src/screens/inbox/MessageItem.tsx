import type { LiveMessage } from '../../../../shared/schemas/liveInbox';
import { RetrySend } from './RetrySend';

const kindLabels: Record<LiveMessage['kind'], string> = { customer: 'Customer', staff: 'Staff', ai: 'AI', auto: 'Automatic reply', note: 'Private note', system: 'Event' };
const tickLabels: Record<LiveMessage['delivery'], string> = { pending: '🕓 sending', sent: '✓ sent', delivered: '✓✓ delivered', read: '✓✓ read', failed: '⚠ failed', rejected: '✕ not applied' };

/** One line of the history: AI replies open to what they used; notes look unlike anything the customer sees. */
export function MessageItem({ message }: { message: LiveMessage }) {
  const outgoing = message.kind === 'staff' || message.kind === 'ai' || message.kind === 'auto';
  return (
    <li className="inbox-message live-message" data-kind={message.kind} data-delivery={message.delivery}>
      <span className="inbox-author">
        {kindLabels[message.kind]}
        {message.authorName ? ` · ${message.authorName}` : ''}
        {' · '}
        <time dateTime={new Date(message.createdAt).toISOString()}>{new Date(message.createdAt).toLocaleString()}</time>
        {(outgoing || message.delivery === 'pending' || message.delivery === 'rejected') && (
          <span className="live-message-tick" aria-label={`Delivery: ${message.delivery}`}>
            {' '}
            {tickLabels[message.delivery]}
          </span>
        )}
      </span>
      <span className="inbox-text">{message.text}</span>
      {message.delivery === 'failed' && <RetrySend messageId={message.messageId} reason={message.failureReason} />}
      {message.used && (
        <details className="live-message-sources">
          <summary>
            Why the AI said this · confidence {Math.round(message.used.confidence * 100)}%{message.used.model ? ` · ${message.used.model}` : ` · ${message.used.answeredBy ?? 'no model'}`}
          </summary>
          {message.used.passages.length > 0 && (
            <ol aria-label="Passages used">
              {message.used.passages.map((passage, index) => (
                <li key={index} data-cited={passage.cited}>
                  <strong>
                    {passage.sourceName}
                    {passage.location ? ` › ${passage.location}` : ''}
                  </strong>
                  {passage.cited ? ' (used)' : ''} · relevance {Math.round(passage.relevance * 100)}%<blockquote>{passage.excerpt}</blockquote>
                </li>
              ))}
            </ol>
          )}
          {message.used.products.length > 0 && (
            <ul aria-label="Products used">
              {message.used.products.map((product, index) => (
                <li key={index}>
                  {product.name ?? product.sku} {product.sku ? `(${product.sku})` : ''} · {product.price ?? '?'} {product.currency ?? ''} · stock {product.stock ?? '?'}
                </li>
              ))}
            </ul>
          )}
        </details>
      )}
    </li>
  );
}
