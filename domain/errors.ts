/**
 * Errors for broken expectations the application layer must react to. Business outcomes are data,
 * not errors; these are the exceptions. Each sets `name`, which Step Functions matches in ErrorEquals.
 */
export class ConcurrentUpdateError extends Error {
  constructor(message = 'The record changed since it was read') {
    super(message);
    this.name = 'ConcurrentUpdateError';
  }
}

export class ApplicationNotFoundError extends Error {
  constructor(id: string) {
    super(`Application ${id} not found`);
    this.name = 'ApplicationNotFoundError';
  }
}

export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

export const WORKFLOW_ERROR_NAMES = ['ConcurrentUpdateError', 'ApplicationNotFoundError', 'ConfigurationError'] as const;
