import { vaultRouter } from '../vault/vaultRouter.js';
import { createCallerFactory, router } from './trpc.js';

/** The whole desktop API. Each domain contributes one sub-router. */
export const appRouter = router({
  vault: vaultRouter,
});

export type AppRouter = typeof appRouter;

export const createCoreCaller = createCallerFactory(appRouter);
