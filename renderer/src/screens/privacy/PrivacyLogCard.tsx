import { useQuery } from '@tanstack/react-query';
import { describeAuditEntry } from '../../../../shared/privacyLog';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';

/** The tenant's privacy log: exports, restores, customer requests and retention runs, newest first. */
export function PrivacyLogCard() {
  const trpc = useTRPC();
  const audit = useQuery(trpc.portability.audit.queryOptions());
  const entries = audit.data ?? [];
  return (
    <section className="card privacy-card" aria-labelledby="privacy-log-title">
      <h2 id="privacy-log-title">Privacy log</h2>
      <p className="hint">What was exported, restored, corrected or erased here, and when retention ran (counts and ids only, never a customer's details). The last 50 entries.</p>
      <ErrorMessage error={audit.error} />
      {audit.isSuccess && entries.length === 0 && <p className="hint">Nothing yet. Exports, customer requests and retention runs will be listed here.</p>}
      {entries.length > 0 && (
        <ul className="privacy-log" aria-label="Privacy log">
          {entries.map((entry) => {
            const { action, detail } = describeAuditEntry(entry);
            return (
              <li key={entry.id}>
                <time dateTime={new Date(entry.occurredAt).toISOString()}>{new Date(entry.occurredAt).toLocaleString()}</time> <strong>{action}</strong>
                {detail && <span className="hint"> — {detail}</span>}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
