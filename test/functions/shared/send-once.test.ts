import { describe, expect, it } from 'vitest';
import type { Instant } from '#domain/applications/application.ts';
import type { MailMessage } from '#domain/ports.ts';
import { mailTag, notifyOnce, sendOnce, type SentMailRegister } from '#functions/shared/send-once.ts';

const AT = '2026-12-05T10:00:00.000Z';
const message = { subject: 'Funding agreed', text: 'Agreed.', html: '<p>Agreed.</p>' };

function fakes() {
  const sent: MailMessage[] = [];
  const marks: [string, string, string, Instant][] = [];
  const register: SentMailRegister = {
    wasSent: async (about, purpose, recipient) => marks.some(([a, p, r]) => a === about && p === purpose && r === recipient),
    markSent: async (about, purpose, recipient, at) => {
      marks.push([about, purpose, recipient, at]);
    },
  };
  const deps = {
    mailer: { send: async (m: MailMessage) => (sent.push(m), { messageId: `m-${sent.length}` }) },
    clock: { now: () => AT },
    mailLog: register,
  };
  return { sent, marks, register, deps };
}

describe('sendOnce', () => {
  it('sends, then records the mail under (about, purpose, recipient) at now', async () => {
    const { sent, marks, register, deps } = fakes();
    const mail = { about: 'person-1', purpose: 'remind:e1', to: 'icb@example.org', message, tags: { purpose: 'register-review-reminder' } };
    await expect(sendOnce(deps, register, mail)).resolves.toBe(true);
    expect(sent).toStrictEqual([{ to: ['icb@example.org'], ...message, tags: { purpose: 'register-review-reminder' } }]);
    expect(marks).toStrictEqual([['person-1', 'remind:e1', 'icb@example.org', AT]]);
  });

  it('does not send again what the register says went already', async () => {
    const { sent, register, deps } = fakes();
    const mail = { about: 'person-1', purpose: 'remind:e1', to: 'icb@example.org', message, tags: { purpose: 'x' } };
    await sendOnce(deps, register, mail);
    await expect(sendOnce(deps, register, mail)).resolves.toBe(false);
    expect(sent).toHaveLength(1);
  });

  it('sends again for another recipient, purpose or record', async () => {
    const { sent, register, deps } = fakes();
    const mail = { about: 'person-1', purpose: 'p', to: 'a@example.org', message, tags: {} };
    await sendOnce(deps, register, mail);
    await sendOnce(deps, register, { ...mail, to: 'b@example.org' });
    await sendOnce(deps, register, { ...mail, purpose: 'q' });
    await sendOnce(deps, register, { ...mail, about: 'person-2' });
    expect(sent).toHaveLength(4);
  });

  it('leaves the mail unrecorded when sending fails, so a retry sends it', async () => {
    const { marks, register, deps } = fakes();
    const failing = { ...deps, mailer: { send: async () => Promise.reject(new Error('SES down')) } };
    await expect(sendOnce(failing, register, { about: 'a', purpose: 'p', to: 't@example.org', message, tags: {} })).rejects.toThrow(
      'SES down',
    );
    expect(marks).toStrictEqual([]);
  });
});

describe('notifyOnce', () => {
  it('tags an application mail with its purpose and application, cut to what SES accepts', async () => {
    const { sent, marks, deps } = fakes();
    await notifyOnce(deps, 'app_1', 'panel-invite:r1', 'x@example.org', message);
    expect(sent).toStrictEqual([{ to: ['x@example.org'], ...message, tags: { purpose: 'panel-invite-r1', application: 'app_1' } }]);
    expect(marks).toStrictEqual([['app_1', 'panel-invite:r1', 'x@example.org', AT]]);
  });
});

describe('mailTag', () => {
  it('replaces characters SES refuses and keeps at most 250', () => {
    expect(mailTag('a:b c/d_e-f')).toBe('a-b-c-d_e-f');
    expect(mailTag('x'.repeat(300))).toBe('x'.repeat(250));
  });
});
