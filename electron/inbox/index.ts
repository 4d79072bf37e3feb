export { inboxProjector, readConversationState } from './inboxProjector.js';
export { listConversations, conversationMessages, type InboxConversation, type InboxMessage } from './inboxReadModel.js';
export { inboxRouter } from './inboxRouter.js';
