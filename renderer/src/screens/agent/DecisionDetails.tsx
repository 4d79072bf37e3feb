import { handOffReasonLabels, type AgentDecision, type UsedPassage } from '../../../../shared/schemas/agent';

const percent = (value: number) => `${Math.round(value * 100)}%`;

function where(passage: UsedPassage): string {
  const location = passage.location;
  if (location.row !== undefined) return `row ${location.row}`;
  if (location.headingPath?.length) return location.headingPath.join(' › ');
  if (location.page !== undefined) return `page ${location.page}`;
  return '';
}

/** Why the agent said what it said: outcome, confidence, the passages and catalog rows it used. */
export function DecisionDetails({ decision }: { decision: AgentDecision }) {
  const outcome = decision.outcome === 'answer' ? 'Answered' : `Handed off: ${handOffReasonLabels[decision.handOffReason!]}`;
  return (
    <details className="agent-decision" data-outcome={decision.outcome}>
      <summary>
        <span className="agent-outcome">{outcome}</span> · confidence {percent(decision.confidence)} (threshold {percent(decision.threshold)})
        {decision.answeredBy ? ` · ${decision.answeredBy === 'model' ? `model ${decision.model ?? ''}` : decision.answeredBy}` : ''}
      </summary>
      <p className="agent-note">{decision.staffNote}</p>
      {decision.figureCheck && decision.figureCheck.action !== 'accepted' && (
        <p className="notice">
          Catalog check: the model wrote {decision.figureCheck.unsupportedFigures.join(', ')}, which no catalog row confirms;{' '}
          {decision.figureCheck.action === 'replaced_with_catalog_facts' ? 'the customer got the catalog facts instead.' : 'a person was asked to answer.'}
        </p>
      )}
      {decision.citedReply && decision.citedReply !== decision.reply && <p className="agent-cited-reply">Model wrote: {decision.citedReply}</p>}
      {decision.passages.length > 0 && (
        <ol className="agent-passages" aria-label="Passages">
          {decision.passages.map((passage) => (
            <li key={passage.number} data-cited={passage.cited}>
              <div className="agent-passage-source">
                [{passage.number}] {passage.sourceName}
                {where(passage) ? ` (${where(passage)})` : ''} · relevance {percent(passage.relevance)}
                {passage.cited ? ' · used' : ''}
              </div>
              <div className="agent-passage-text">{passage.text.length > 400 ? `${passage.text.slice(0, 400)}…` : passage.text}</div>
            </li>
          ))}
        </ol>
      )}
      {decision.products.length > 0 && (
        <table aria-label="Products">
          <thead>
            <tr>
              <th>Product</th>
              <th>SKU</th>
              <th>Price</th>
              <th>Stock</th>
              <th>Link</th>
            </tr>
          </thead>
          <tbody>
            {decision.products.map((product) => (
              <tr key={product.id}>
                <td>{product.name ?? '—'}</td>
                <td>{product.sku ?? '—'}</td>
                <td>{product.price !== null ? `${product.price.toFixed(2)} ${product.currency ?? ''}`.trim() : '—'}</td>
                <td>{product.stock ?? '—'}</td>
                <td>{product.url ? <span className="agent-link">{product.url}</span> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="hint">Decided in {decision.durationMilliseconds} ms.</p>
    </details>
  );
}
