import type { ChildProcess } from 'node:child_process';

/**
 * Waits for the line a server process prints once it listens (`<label>: <address>`) and returns the
 * address. A process that exits first, or says nothing in time, is an error with everything it
 * printed; one that is still running then is killed, so no orphan keeps a port and a data folder.
 */
export function waitForAddress(child: ChildProcess, label: string, timeoutMilliseconds = 60_000): Promise<string> {
  let output = '';
  const pattern = new RegExp(`${label}: (\\S+)`);
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${label} did not start within ${timeoutMilliseconds / 1000} s:\n${output}`));
    }, timeoutMilliseconds);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${code}:\n${output}`));
    });
  });
}
