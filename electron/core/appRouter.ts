import { knowledgeRouter } from '../knowledge/knowledgeRouter.js';
import { vaultRouter } from '../vault/vaultRouter.js';
import { syncRouter } from '../sync/syncRouter.js';
import { inboxRouter } from '../inbox/inboxRouter.js';
import { agentRouter } from '../agent/agentRouter.js';
import { liveInboxRouter } from '../inbox/liveInboxRouter.js';
import { portabilityRouter } from '../portability/index.js';
import { channelsRouter } from '../channels/channelsRouter.js';
import { relayTeamRouter } from '../relayTeam/index.js';
import { createCallerFactory, router } from './trpc.js';

/** The whole desktop API. Each domain contributes one sub-router. */
export const appRouter = router({
  vault: vaultRouter,
  knowledge: knowledgeRouter,
  sync: syncRouter,
  inbox: inboxRouter,
  liveInbox: liveInboxRouter,
  agent: agentRouter,
  portability: portabilityRouter,
  channels: channelsRouter,
  relayTeam: relayTeamRouter,
});

export type AppRouter = typeof appRouter;

export const createCoreCaller = createCallerFactory(appRouter);
