import { createInterface } from 'node:readline';

let stdinLines: Promise<string[]> | undefined;

/** Piped standard input, read once: line 1 is the passphrase, line 2 (if asked) the new one. */
function readPipedLines(): Promise<string[]> {
  stdinLines ??= new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8').split(/\r?\n/)));
    process.stdin.on('error', reject);
  });
  return stdinLines;
}

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const terminal = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const mutable = terminal as unknown as { _writeToOutput: (text: string) => void };
    process.stderr.write(question);
    mutable._writeToOutput = () => {};
    terminal.question('', (answer) => {
      terminal.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}

/**
 * Passphrases never come from argv (it shows in `ps` and shell history): from an environment
 * variable, a hidden prompt on a terminal, or piped standard input.
 */
export async function readPassphrase(options: { environmentVariable: string; lineIndex: number; prompt: string }): Promise<string> {
  const fromEnvironment = process.env[options.environmentVariable];
  if (fromEnvironment !== undefined && fromEnvironment !== '') return fromEnvironment;
  if (process.stdin.isTTY) return promptHidden(options.prompt);
  const line = (await readPipedLines())[options.lineIndex];
  if (line === undefined || line === '') {
    throw new Error(`No passphrase given: set ${options.environmentVariable} or pipe it on line ${options.lineIndex + 1} of standard input.`);
  }
  return line;
}

export const readTenantPassphrase = () =>
  readPassphrase({ environmentVariable: 'ARES_PASSPHRASE', lineIndex: 0, prompt: 'Passphrase: ' });

export const readNewPassphrase = () =>
  readPassphrase({ environmentVariable: 'ARES_NEW_PASSPHRASE', lineIndex: 1, prompt: 'New passphrase: ' });
