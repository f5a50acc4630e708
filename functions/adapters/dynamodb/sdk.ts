/**
 * The DynamoDB SDK, loaded with `require` rather than `import`. The SDK is external to the bundles (the Lambda
 * runtime provides it) and published as CommonJS; importing CommonJS from an ES module makes Node scan each
 * package's source for its export names (cjs-module-lexer) and wrap it, which measured about half of a handler's
 * cold import (bench/bundles.bench.ts). `require` skips that. Same module instances as an `import` would give
 * (one require cache), so tests that import the SDK see the same classes. Types come from the packages as usual.
 */
import { createRequire } from 'node:module';
import type * as ClientDynamoDb from '@aws-sdk/client-dynamodb';
import type * as LibDynamoDb from '@aws-sdk/lib-dynamodb';

const load = createRequire(import.meta.url);
const client = load('@aws-sdk/client-dynamodb') as typeof ClientDynamoDb;
const lib = load('@aws-sdk/lib-dynamodb') as typeof LibDynamoDb;

export const { DynamoDBClient } = client;
export type DynamoDBClient = ClientDynamoDb.DynamoDBClient;
export const { DynamoDBDocumentClient, DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } = lib;
export type DynamoDBDocumentClient = LibDynamoDb.DynamoDBDocumentClient;

/** The document client every DynamoDB adapter takes: undefined values are dropped on write (the twins copy through `asStored`). */
export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
