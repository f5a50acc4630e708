import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerTable } from '#lib/app-manifest.ts';
import { logicalId, synth, type Synthesised } from './support.ts';
import { BATCH_RETENTION_DAYS } from '#lib/constructs/exports.ts';

let dev: Synthesised;
let prod: Synthesised;
beforeAll(() => {
  dev = synth('dev');
  prod = synth('prod');
});

const registerOf = (s: Synthesised) => {
  const table = s.stack.data.tables.get(registerTable.name);
  if (table === undefined) throw new Error('no Register table');
  return s.template.toJSON().Resources[logicalId(table)] as { Properties: Record<string, unknown>; DeletionPolicy?: string };
};

describe('the Register table', () => {
  it('is encrypted with the customer-managed data key, which rotates', () => {
    const table = registerOf(dev);
    expect(table.Properties['SSESpecification']).toStrictEqual({ SSEEnabled: true, SSEType: 'KMS' });
    expect(table.Properties['Replicas']).toStrictEqual([
      expect.objectContaining({
        SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [logicalId(dev.stack.data.key), 'Arn'] } },
      }),
    ]);
    dev.template.hasResource('AWS::KMS::Key', { Properties: Match.objectLike({ EnableKeyRotation: true }), UpdateReplacePolicy: 'Delete' });
  });

  it('has point-in-time recovery on, in every stage', () => {
    for (const s of [dev, prod]) {
      expect(registerOf(s).Properties['Replicas']).toStrictEqual([
        expect.objectContaining({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      ]);
    }
  });

  it('is on demand, with the manifest keys, GSIs and TTL attribute (what the local runtime creates)', () => {
    const p = registerOf(dev).Properties;
    expect(p['BillingMode']).toBe('PAY_PER_REQUEST');
    expect(p['KeySchema']).toStrictEqual(registerTable.KeySchema);
    expect(p['AttributeDefinitions']).toStrictEqual(registerTable.AttributeDefinitions);
    expect(p['GlobalSecondaryIndexes']).toStrictEqual(registerTable.GlobalSecondaryIndexes);
    expect(p['TimeToLiveSpecification']).toStrictEqual({ AttributeName: registerTable.timeToLiveAttribute, Enabled: true });
  });

  it('is deletion-protected and retained in prod, not in dev', () => {
    expect(registerOf(prod).Properties['Replicas']).toStrictEqual([expect.objectContaining({ DeletionProtectionEnabled: true })]);
    expect(registerOf(prod).DeletionPolicy).toBe('Retain');
    expect(registerOf(dev).Properties['Replicas']).toStrictEqual([expect.objectContaining({ DeletionProtectionEnabled: false })]);
    expect(registerOf(dev).DeletionPolicy).toBe('Delete');
  });
});

describe('the exports bucket', () => {
  it('is KMS-encrypted with the data key, private, TLS-only, expiring and access-logged', () => {
    const bucket = prod.template.toJSON().Resources[logicalId(prod.stack.exports.bucket)] as { Properties: Record<string, unknown> };
    expect(bucket.Properties['BucketEncryption']).toStrictEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            KMSMasterKeyID: { 'Fn::GetAtt': [logicalId(prod.stack.data.key), 'Arn'] },
            SSEAlgorithm: 'aws:kms',
          },
        },
      ],
    });
    expect(bucket.Properties['PublicAccessBlockConfiguration']).toStrictEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties['LifecycleConfiguration']).toStrictEqual({
      Rules: [
        expect.objectContaining({ Prefix: 'batches/', ExpirationInDays: BATCH_RETENTION_DAYS, Status: 'Enabled' }),
        expect.objectContaining({ Prefix: 'work/', ExpirationInDays: 1, Status: 'Enabled' }),
      ],
    });
    expect(bucket.Properties['LoggingConfiguration']).toStrictEqual({
      DestinationBucketName: { Ref: logicalId(prod.stack.exports.accessLogs) },
      LogFilePrefix: 'exports/',
    });
    prod.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(prod.stack.exports.bucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });
});
