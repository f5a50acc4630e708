/** Recognises DynamoDB errors by name, so the check holds across SDK error class copies and mocks. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
