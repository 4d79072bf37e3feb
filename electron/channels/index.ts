export { channelsRouter } from './channelsRouter.js';
export { RelayChannelsClient } from './relayChannelsClient.js';
export { applyChannelEventToInbox, describeChannelEvent } from './channelInboxProjection.js';
