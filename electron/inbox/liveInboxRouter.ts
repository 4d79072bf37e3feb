import { EventEmitter, on } from 'node:events';
import {
  assignInput,
  conversationInput,
  conversationPageInput,
  dashboardInput,
  draftInput,
  messagesInput,
  savedReplyIdInput,
  savedReplyInput,
  textInput,
} from '../../shared/schemas/liveInbox.js';
import { AresError } from '../../shared/errors.js';
import { runningAgentRunner } from '../agentRunner/sessionAgentRunner.js';
import { router, tenantProcedure } from '../core/trpc.js';
import { syncServiceFor } from '../sync/index.js';
import { addNote, assign, handBack, reopen, reply, resolve, takeOver } from './inboxActions.js';
import { checkAssignee, colleagueNames } from './colleagues.js';
import { deleteSavedReply, markRead, saveDraft, savedReplies, saveSavedReply } from './composerStore.js';
import { dashboardStatistics } from './inboxDashboard.js';
import { conversationDetails, conversationPage, inboxCounts, messagePage } from './inboxQueries.js';

/** The live inbox: the list staff work from, the actions on a conversation, the composer and the dashboard. */
export const liveInboxRouter = router({
  page: tenantProcedure.input(conversationPageInput).query(({ ctx, input }) => {
    const sync = syncServiceFor(ctx.session);
    return conversationPage(ctx.session.database, input, sync.staffName(), sync.store.unconfirmedEvents());
  }),

  counts: tenantProcedure.query(({ ctx }) => inboxCounts(ctx.session.database, syncServiceFor(ctx.session).staffName())),

  conversation: tenantProcedure.input(conversationInput).query(({ ctx, input }) => {
    const sync = syncServiceFor(ctx.session);
    const details = conversationDetails(ctx.session.database, input.conversationId, sync.staffName(), sync.store.unconfirmedEvents(input.conversationId));
    if (!details) throw new AresError('NOT_FOUND', 'No such conversation.');
    return details;
  }),

  messages: tenantProcedure.input(messagesInput).query(({ ctx, input }) => messagePage(ctx.session.database, input.conversationId, input.beforeSeq ?? null, input.limit)),

  takeOver: tenantProcedure.input(conversationInput).mutation(({ ctx, input }) => takeOver(ctx.session, input.conversationId)),
  reply: tenantProcedure.input(textInput).mutation(({ ctx, input }) => reply(ctx.session, input.conversationId, input.text)),
  handBack: tenantProcedure.input(conversationInput).mutation(({ ctx, input }) => handBack(ctx.session, input.conversationId)),
  resolve: tenantProcedure.input(conversationInput).mutation(({ ctx, input }) => resolve(ctx.session, input.conversationId)),
  reopen: tenantProcedure.input(conversationInput).mutation(({ ctx, input }) => reopen(ctx.session, input.conversationId)),
  assign: tenantProcedure.input(assignInput).mutation(async ({ ctx, input }) => {
    await checkAssignee(syncServiceFor(ctx.session), input.assigneeName);
    return assign(ctx.session, input.conversationId, input.assigneeName);
  }),
  note: tenantProcedure.input(textInput).mutation(({ ctx, input }) => addNote(ctx.session, input.conversationId, input.text)),

  markRead: tenantProcedure.input(conversationInput).mutation(({ ctx, input }) => {
    markRead(ctx.session.database, input.conversationId, Date.now());
  }),
  saveDraft: tenantProcedure.input(draftInput).mutation(({ ctx, input }) => {
    saveDraft(ctx.session.database, input.conversationId, input.text, Date.now());
  }),

  savedReplies: tenantProcedure.query(({ ctx }) => savedReplies(ctx.session.database)),
  saveSavedReply: tenantProcedure.input(savedReplyInput).mutation(({ ctx, input }) => saveSavedReply(ctx.session.database, input.shortcut, input.text, Date.now())),
  deleteSavedReply: tenantProcedure.input(savedReplyIdInput).mutation(({ ctx, input }) => deleteSavedReply(ctx.session.database, input.id)),

  colleagues: tenantProcedure.query(({ ctx }) => colleagueNames(syncServiceFor(ctx.session))),

  dashboard: tenantProcedure.input(dashboardInput).query(({ ctx, input }) => dashboardStatistics(ctx.session.database, input.days, Date.now())),

  /** Whether this desktop runs the AI for the tenant right now (holds the lease). */
  agentRunner: tenantProcedure.query(({ ctx }) => runningAgentRunner(ctx.session)?.status() ?? null),

  /** Fires whenever conversations may have changed (pulled events, local changes, acknowledgements). */
  onChange: tenantProcedure.subscription(async function* ({ ctx, signal }) {
    const relay = new EventEmitter();
    const stop = syncServiceFor(ctx.session).onChange(() => relay.emit('change'));
    try {
      for await (const _ of on(relay, 'change', { signal })) yield { changedAt: Date.now() };
    } finally {
      stop();
    }
  }),
});
