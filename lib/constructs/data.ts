/**
 * DynamoDB tables from the manifest's CreateTable-style definitions: on demand, point-in-time recovery, a
 * customer-managed KMS key with rotation, the TTL attribute and the GSIs exactly as the local runtime creates
 * them; deletion protection and RETAIN per stage. CloudFormation chooses the physical names.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  ProjectionType,
  TableEncryptionV2,
  TableV2,
  type Attribute,
  type GlobalSecondaryIndexPropsV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { TableDefinition } from '../app-manifest.ts';

export interface DataProps {
  tables: readonly TableDefinition[];
  deletionProtection: boolean;
}

const ATTRIBUTE_TYPES: Readonly<Record<string, AttributeType>> = {
  S: AttributeType.STRING,
  N: AttributeType.NUMBER,
  B: AttributeType.BINARY,
};
const PROJECTIONS: Readonly<Record<string, ProjectionType>> = {
  ALL: ProjectionType.ALL,
  KEYS_ONLY: ProjectionType.KEYS_ONLY,
  INCLUDE: ProjectionType.INCLUDE,
};

export class Data extends Construct {
  /** By logical name (`TableDefinition.name`). */
  readonly tables: ReadonlyMap<string, TableV2>;
  /** Encrypts every table (and the exports bucket). */
  readonly key: Key;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    const removalPolicy = props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.key = new Key(this, 'DataKey', {
      description: 's117 data: register tables and finance exports',
      enableKeyRotation: true,
      removalPolicy,
    });
    const tables = new Map<string, TableV2>();
    for (const definition of props.tables) {
      if (tables.has(definition.name)) throw new Error(`The manifest has two tables named '${definition.name}'`);
      tables.set(definition.name, this.#table(definition, props.deletionProtection, removalPolicy));
    }
    this.tables = tables;
  }

  #table(definition: TableDefinition, deletionProtection: boolean, removalPolicy: RemovalPolicy): TableV2 {
    if (definition.BillingMode !== undefined && definition.BillingMode !== 'PAY_PER_REQUEST') {
      throw new Error(`Table '${definition.name}': only on-demand (PAY_PER_REQUEST) tables are deployed`);
    }
    if ((definition.LocalSecondaryIndexes?.length ?? 0) > 0)
      throw new Error(`Table '${definition.name}': local secondary indexes are not supported`);
    const attribute = (name: string | undefined): Attribute => {
      const type = definition.AttributeDefinitions?.find((a) => a.AttributeName === name)?.AttributeType;
      const cdkType = type === undefined ? undefined : ATTRIBUTE_TYPES[type];
      if (name === undefined || cdkType === undefined)
        throw new Error(`Table '${definition.name}': key attribute '${name}' has no definition`);
      return { name, type: cdkType };
    };
    const keys = (schema: readonly { AttributeName?: string | undefined; KeyType?: string | undefined }[] | undefined) => {
      const hash = schema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
      const range = schema?.find((k) => k.KeyType === 'RANGE')?.AttributeName;
      return { partitionKey: attribute(hash), ...(range === undefined ? {} : { sortKey: attribute(range) }) };
    };
    const globalSecondaryIndexes = (definition.GlobalSecondaryIndexes ?? []).map((gsi): GlobalSecondaryIndexPropsV2 => {
      const projection = PROJECTIONS[gsi.Projection?.ProjectionType ?? 'ALL'];
      if (gsi.IndexName === undefined || projection === undefined)
        throw new Error(`Table '${definition.name}': every GSI needs a name and a projection`);
      return {
        indexName: gsi.IndexName,
        ...keys(gsi.KeySchema),
        projectionType: projection,
        ...(gsi.Projection?.NonKeyAttributes === undefined ? {} : { nonKeyAttributes: gsi.Projection.NonKeyAttributes }),
      };
    });
    return new TableV2(this, `${pascal(definition.name)}Table`, {
      ...keys(definition.KeySchema),
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(this.key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection,
      removalPolicy,
      globalSecondaryIndexes,
      ...(definition.timeToLiveAttribute === undefined ? {} : { timeToLiveAttribute: definition.timeToLiveAttribute }),
    });
  }
}

/** `funding-application` → `FundingApplication`, for construct ids. */
export function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]?.toUpperCase() + p.slice(1))
    .join('');
}
