/**
 * The one Powertools logger. Log ids, routes and statuses only: never bodies, NHS numbers, names or task
 * tokens (these are special-category health records).
 */
import { Logger } from '@aws-lambda-powertools/logger';

/** Takes its service name from POWERTOOLS_SERVICE_NAME (validated in env.ts). */
export const logger = new Logger();

/** An error's name and stack frames, without its message (messages can carry input values). */
export function describeError(error: unknown): { errorName: string; frames?: string } {
  if (!(error instanceof Error)) return { errorName: typeof error };
  const frames = error.stack
    ?.split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .slice(0, 8)
    .join('\n');
  return frames === undefined || frames === '' ? { errorName: error.name } : { errorName: error.name, frames };
}
