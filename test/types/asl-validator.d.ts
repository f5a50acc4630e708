/** asl-validator 4 ships no type declarations; this is the part the tests use. */
declare module 'asl-validator' {
  interface ValidationResult {
    isValid: boolean;
    errors: unknown[];
    errorsText(separator?: string): string;
  }
  export default function validator(definition: object, options?: { checkArn?: boolean; checkPaths?: boolean }): ValidationResult;
}
