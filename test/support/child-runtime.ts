/**
 * A runtime in a child process, for tests that kill it with SIGKILL and start it again: the script
 * prints `READY {json}` once it is up; `start` resolves with that JSON.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ChildRuntimes {
  start<T>(script: string, env: Record<string, string>): Promise<{ child: ChildProcess; ready: T }>;
  killHard(child: ChildProcess): Promise<void>;
  /** Kills whatever is still running (for afterAll). */
  killAll(): void;
}

export function childRuntimes(): ChildRuntimes {
  const children: ChildProcess[] = [];
  return {
    start: (script, env) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      return new Promise((resolve, reject) => {
        let out = '';
        let err = '';
        child.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const line = /READY (\{.*\})\n/.exec(out)?.[1];
          if (line !== undefined) resolve({ child, ready: JSON.parse(line) });
        });
        child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.once('exit', (code) => reject(new Error(`${script} exited with ${code}: ${err.slice(-2000)}`)));
      });
    },
    killHard: (child) =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        process.kill(child.pid ?? 0, 'SIGKILL');
      }),
    killAll: () => {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
