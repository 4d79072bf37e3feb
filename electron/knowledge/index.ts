export { knowledgeRouter } from './knowledgeRouter.js';
export { KnowledgeService, knowledgeOf } from './knowledgeService.js';
export { supportedExtensions } from './fileTypes.js';
export { disposeEmbedders } from './embedding/embedder.js';
