// The reader worker thread: parsing only. It must never load onnxruntime-node (nothing here
// imports @huggingface/transformers), because a file past its read time limit stops this worker,
// and a worker that loaded the onnxruntime binding cannot be replaced by another in this process.
import type { ColumnMapping } from '../../../shared/schemas/knowledge.js';
import { parseFile } from '../parsers/parseFile.js';
import type { ParsedFile } from '../parsers/parsedFile.js';
import type { ReaderRequest } from './workerProtocol.js';
import { serveRequests } from './workerServer.js';

function mappingRequest(request: { mapping?: ColumnMapping; previousMapping?: ColumnMapping }) {
  return { ...(request.mapping ? { chosen: request.mapping } : {}), ...(request.previousMapping ? { previous: request.previousMapping } : {}) };
}

serveRequests<ReaderRequest>((request): Promise<ParsedFile> => parseFile(request.bytes, request.name, request.fileType, request.limits, mappingRequest(request)));
