/** The agent runner: the agent answering live conversations on the desktop that holds the tenant's lease. */
export { AgentRunner, type AgentRunnerOptions, type AgentRunnerStatus } from './agentRunner.js';
export { agentRunnerFor, attachAgentRunnerToCore, runningAgentRunner } from './sessionAgentRunner.js';
export { currentConversationState } from './conversationView.js';
