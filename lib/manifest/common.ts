/** What every feature's functions share: the environment and the shapes of their table grants. */
import type { FunctionDefinition, TableGrant } from '../app-manifest.ts';

/** Settings every function gets. */
export const commonEnvironment = {
  REGISTER_TABLE_NAME: 'table:Register',
  MAIL_FROM: 's117-no-reply@s117.example.org',
  APP_BASE_URL: 'runtime:api-url',
  POWERTOOLS_SERVICE_NAME: 's117',
} as const;

/** Read-only access to the directory (organisations, users) and partnership settings. */
export const readDirectory: TableGrant = { table: 'Register', actions: ['read'], partitionKeys: ['DIRECTORY', 'PARTNERSHIP#*'] };

/** Read and write of the given partition key patterns of the register (docs/data-model.md). */
export const readWrite = (...partitionKeys: string[]): TableGrant => ({ table: 'Register', actions: ['read', 'write'], partitionKeys });
export const readOnly = (...partitionKeys: string[]): TableGrant => ({ table: 'Register', actions: ['read'], partitionKeys });

export function apiFunction(name: string, definition: Omit<FunctionDefinition, 'name' | 'handler'> = {}): FunctionDefinition {
  return { name, handler: `functions/api/${name}.handler.ts`, environment: commonEnvironment, timeoutSeconds: 10, ...definition };
}

export function taskFunction(name: string, definition: Omit<FunctionDefinition, 'name' | 'handler'> = {}): FunctionDefinition {
  return { name, handler: `functions/tasks/${name}.handler.ts`, environment: commonEnvironment, timeoutSeconds: 30, ...definition };
}
