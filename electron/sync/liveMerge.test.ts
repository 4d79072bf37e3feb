import { describe, expect, it } from 'vitest';
import type { LoggedEvent, PullResult } from '../../shared/schemas/sync.js';
import { mergeContiguous } from './syncEngine.js';

const event = (seq: number): LoggedEvent => ({ seq, eventId: `e${seq}`, conversationId: 'c', occurredAt: 1, acceptedAt: 1, body: { type: 'conversation.note', authorName: 'A', text: 'n' } });
const page = (fromSeq: number, throughSeq: number, epoch = 'one'): PullResult => ({
  kind: 'events',
  epoch,
  fromSeq,
  throughSeq,
  headSeq: throughSeq,
  events: Array.from({ length: throughSeq - fromSeq }, (_, index) => event(fromSeq + index + 1)),
});

describe('live pages that queued up while the desktop was busy', () => {
  it('become one page when each starts where (or before) the previous one ended', () => {
    const [merged, ...rest] = mergeContiguous([page(0, 2), page(2, 3), page(1, 5)]);
    expect(rest).toEqual([]);
    expect(merged).toMatchObject({ fromSeq: 0, throughSeq: 5, headSeq: 5 });
    expect((merged as Extract<PullResult, { kind: 'events' }>).events.map((item) => item.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('stay apart across a gap, an epoch change or a resync, so those are still noticed', () => {
    const resync: PullResult = { kind: 'resync', reason: 'epoch', restartFrom: { epoch: 'two', seq: 0 } };
    const merged = mergeContiguous([page(0, 2), page(4, 5), page(5, 6, 'two'), resync, page(6, 7)]);
    expect(merged.map((item) => (item.kind === 'events' ? `${item.epoch}:${item.fromSeq}-${item.throughSeq}` : 'resync'))).toEqual(['one:0-2', 'one:4-5', 'two:5-6', 'resync', 'one:6-7']);
  });
});
