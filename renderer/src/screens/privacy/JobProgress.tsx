import type { PortabilityJobState } from '../../../../shared/schemas/portability';
import { formatBytes } from './useJob';

/** A labelled progress bar for an export or restore, announced politely to screen readers. */
export function JobProgress({ job, label }: { job: PortabilityJobState; label: string }) {
  const percent = job.total > 0 ? Math.min(100, Math.round((job.done / job.total) * 100)) : job.status === 'done' ? 100 : 0;
  return (
    <div className="privacy-progress" aria-live="polite">
      <progress aria-label={label} max={100} value={percent} />
      <span className="hint">
        {job.phase} · {percent}% · {formatBytes(job.bytesWritten)}
      </span>
    </div>
  );
}
