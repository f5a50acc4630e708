/** A workflow that records starts and resumptions, for tests; a token resumes once, then it is gone. */
import type { Workflow } from '#domain/ports.ts';
import { executionArnFor } from '../types.ts';

export interface RecordedStart {
  stateMachineArn: string;
  name: string;
  input: unknown;
  executionArn: string;
}

export class MemoryWorkflow implements Workflow {
  readonly starts: RecordedStart[] = [];
  readonly succeeded: { token: string; output: unknown }[] = [];
  readonly #gone = new Set<string>();

  async start(stateMachineArn: string, name: string, input: unknown): Promise<{ executionArn: string }> {
    const executionArn = executionArnFor(stateMachineArn, name);
    if (!this.starts.some((s) => s.executionArn === executionArn)) {
      this.starts.push({ stateMachineArn, name, input: JSON.parse(JSON.stringify(input)) as unknown, executionArn });
    }
    return { executionArn };
  }

  async succeed(token: string, output: unknown): Promise<'resumed' | 'gone'> {
    if (this.#gone.has(token)) return 'gone';
    this.#gone.add(token);
    this.succeeded.push({ token, output: JSON.parse(JSON.stringify(output)) as unknown });
    return 'resumed';
  }

  /** The workflow moved on without this token (timed out, stopped): `succeed` answers 'gone'. */
  markGone(token: string): void {
    this.#gone.add(token);
  }
}
