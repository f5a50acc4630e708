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

describe('the edge', () => {
  it('prod has one and dev has none; an override replaces a value and keeps the rest', () => {
    expect(loadStageConfig('dev').edge).toBeUndefined();
    expect(loadStageConfig('prod', { domainName: 's117.icb.example.nhs.uk', hostedZoneName: 'icb.example.nhs.uk' }).edge).toMatchObject({
      domainName: 's117.icb.example.nhs.uk',
      hostedZoneName: 'icb.example.nhs.uk',
      approvalsRateLimit: 100,
    });
  });

  it('refuses a certificate outside us-east-1 and a domain outside the hosted zone, naming each', () => {
    expect(() =>
      loadStageConfig('prod', { certificateArn: 'arn:aws:acm:eu-west-2:111111111111:certificate/00000000-0000-4000-8000-000000000000' }),
    ).toThrow(/edge\.certificateArn: must be the ARN of an ACM certificate in us-east-1/);
    expect(() => loadStageConfig('prod', { domainName: 'app.elsewhere.org' })).toThrow(
      /edge\.domainName: domainName must be in the hosted zone/,
    );
  });

  it('a dev edge needs every value: a domain alone names what is missing', () => {
    expect(() => loadStageConfig('dev', { domainName: 'dev.s117.example.org' })).toThrow(/edge\.hostedZoneId/);
  });
});
