/** In-memory mail log. */
import type { Instant } from '#domain/applications/application.ts';
import type { MailLog } from '#domain/ports.ts';

export class MemoryMailLog implements MailLog {
  readonly #sent = new Set<string>();

  async wasSent(applicationId: string, purpose: string, recipient: string): Promise<boolean> {
    return this.#sent.has(JSON.stringify([applicationId, purpose, recipient]));
  }

  async markSent(applicationId: string, purpose: string, recipient: string, _at: Instant): Promise<void> {
    this.#sent.add(JSON.stringify([applicationId, purpose, recipient]));
  }
}
