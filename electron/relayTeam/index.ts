export { relayTeamRouter } from './relayTeamRouter.js';
export { RelayTeamClient, acceptInvitationAtRelay } from './relayTeamClient.js';
