import { DynamoApplicationStore } from '#functions/adapters/dynamodb/applications.ts';
import { DynamoChronology } from '#functions/adapters/dynamodb/chronology.ts';
import { DynamoDirectory } from '#functions/adapters/dynamodb/directory.ts';
import { DynamoHandOffOutbox } from '#functions/adapters/dynamodb/hand-offs.ts';
import { DynamoIdempotencyStore } from '#functions/adapters/dynamodb/idempotency.ts';
import { DynamoMailLog } from '#functions/adapters/dynamodb/mail-log.ts';
import { DynamoTaskTokenStore } from '#functions/adapters/dynamodb/tokens.ts';
import { useDynalite } from './dynalite.ts';
import { registerContract } from './register.contract.ts';

const freshTable = useDynalite();

registerContract('DynamoDB (dynalite)', async () => {
  const { db, tableName } = await freshTable();
  return {
    applications: new DynamoApplicationStore(db, tableName),
    chronology: new DynamoChronology(db, tableName),
    idempotency: new DynamoIdempotencyStore(db, tableName),
    directory: new DynamoDirectory(db, tableName),
    tokens: new DynamoTaskTokenStore(db, tableName),
    handOffs: new DynamoHandOffOutbox(db, tableName),
    mailLog: new DynamoMailLog(db, tableName),
  };
});
