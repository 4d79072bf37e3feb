import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTRPC } from '../../api/trpc';

/** Polls an export or restore job while it runs; stops once it ended, and refreshes the privacy log it wrote to. */
export function useJob(jobId: string | null) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const job = useQuery({
    ...trpc.portability.job.queryOptions({ jobId: jobId ?? '' }),
    enabled: jobId !== null,
    refetchInterval: (query) => (query.state.data && query.state.data.status !== 'running' ? false : 250),
  });
  const finished = job.data?.status === 'done';
  useEffect(() => {
    if (finished) void queryClient.invalidateQueries({ queryKey: trpc.portability.audit.queryKey() });
  }, [finished, queryClient, trpc]);
  return job;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1_048_576) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

export function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([name, count]) => `${count.toLocaleString()} ${name}`)
    .join(', ');
}
