/** The agent domain's public surface: its router and the call the inbox makes for each customer message. */
export { agentRouter } from './agentRouter.js';
export { answerConversation, agentSettings, type AnswerConversationOptions } from './answerConversation.js';
export { conversationDecisions, readDecision } from './decisionLog.js';
export { asksForPerson, matchHumanOnlyTopic } from './handOffDetection.js';
export { withoutCitations } from './groundedPrompt.js';
export type { Retriever, Retrieval, RetrievedPassage } from './retriever.js';
