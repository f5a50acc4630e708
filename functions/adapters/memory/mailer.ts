/** A mailer that keeps what it sends, for tests. */
import type { Mailer, MailMessage } from '#domain/ports.ts';

export class MemoryMailer implements Mailer {
  readonly sent: MailMessage[] = [];
  /** When set, the next sends throw it (once each), to test retries. */
  readonly failures: Error[] = [];

  async send(message: MailMessage): Promise<{ messageId: string }> {
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
    this.sent.push(structuredClone(message));
    return { messageId: `memory-${this.sent.length}` };
  }
}
