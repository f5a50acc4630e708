import { describe, expect, it } from 'vitest';
import { loadStageConfig } from '#lib/config.ts';

describe('stage configuration', () => {
  it('dev has no deletion protection and prod has it', () => {
    expect([loadStageConfig('dev').deletionProtection, loadStageConfig('prod').deletionProtection]).toStrictEqual([false, true]);
  });

  it('a mail domain override moves the From address onto it', () => {
    expect(loadStageConfig('prod', { mailDomain: 'mail.icb.example.nhs.uk' }).mail).toStrictEqual({
      domain: 'mail.icb.example.nhs.uk',
      fromAddress: 'no-reply@mail.icb.example.nhs.uk',
    });
  });

  it('refuses an unknown stage, a From address off the domain, and a bad account, naming each', () => {
    expect(() => loadStageConfig('staging')).toThrow(/stage must be one of dev, prod/);
    expect(() => loadStageConfig('dev', { mailFrom: 'someone@elsewhere.org' })).toThrow(
      /mail\.fromAddress: mail\.fromAddress must be an address at mail\.domain/,
    );
    expect(() => loadStageConfig('dev', { account: '12345' })).toThrow(/account: must be a 12-digit AWS account id/);
  });
});
