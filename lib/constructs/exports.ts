/**
 * The finance exports bucket: KMS-encrypted with the data key, private (all public access blocked, ACLs off),
 * TLS only, versioned, objects expiring after the stage's period, and server access logs to a log bucket.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface ExportsProps {
  key: IKey;
  objectExpiryDays: number;
}

/** Seven years: how long finance records are kept; exported batches are the record of what was charged. */
export const BATCH_RETENTION_DAYS = 7 * 365 + 2;

export class Exports extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: ExportsProps) {
    super(scope, id);
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      // S3 server access logging can only deliver to a bucket encrypted with S3-managed keys.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(Math.max(props.objectExpiryDays, 365)) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server access log bucket of the exports bucket; logging its own access would recurse.',
    });
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [
        // Exported files and their rows stay as long as finance records are kept: later batches adjust them.
        {
          prefix: 'batches/',
          expiration: Duration.days(BATCH_RETENTION_DAYS),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        // Parts written while an export runs: gone the next day.
        {
          prefix: 'work/',
          expiration: Duration.days(1),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      // Bucket's own `isWebsite?: boolean` trips exactOptionalPropertyTypes against IBucket; it is one.
      serverAccessLogsBucket: this.accessLogs as IBucket,
      serverAccessLogsPrefix: 'exports/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
