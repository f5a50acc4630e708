/**
 * Crash points for the kill -9 tests (issue 12, item 8): where `S117_CRASH_AT` names the point, the process kills
 * itself with SIGKILL there, as a power cut would, so a test can restart the local runtime on the same data folder
 * and prove that what was written converges. Inert in AWS: neither the manifest nor the stack ever sets the variable,
 * and inside a Lambda (`AWS_LAMBDA_FUNCTION_NAME` set) it is ignored even if someone did. Read on each call, so a
 * runtime started without it never crashes.
 */
export const CRASH_POINTS = ['after-application-created', 'after-response-saved'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

export function crashPoint(point: CrashPoint): void {
  if (process.env['S117_CRASH_AT'] !== point || process.env['AWS_LAMBDA_FUNCTION_NAME'] !== undefined) return;
  process.kill(process.pid, 'SIGKILL');
}
