export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const levelOrder: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Field names that must never reach a log line, whatever a caller passes. */
const secretFields = /token|password|secret|authorization|cookie|text|body|code/i;

export interface RelayLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** One JSON object per line on stdout: time, level, message and safe fields (ids, counts, durations). */
export function createRelayLogger(level: LogLevel, write: (line: string) => void = (line) => process.stdout.write(line)): RelayLogger {
  const emit = (lineLevel: Exclude<LogLevel, 'silent'>, message: string, fields: Record<string, unknown> = {}) => {
    if (levelOrder[lineLevel] < levelOrder[level]) return;
    const safe: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) safe[key] = secretFields.test(key) ? '[redacted]' : value;
    write(`${JSON.stringify({ time: new Date().toISOString(), level: lineLevel, message, ...safe })}\n`);
  };
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}
