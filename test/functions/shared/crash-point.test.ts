/** The kill -9 tests' crash hook is inert unless asked for by name, and always inside a Lambda (issue 12). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { crashPoint } from '#functions/shared/crash-point.ts';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('crashPoint', () => {
  it.each([
    ['no S117_CRASH_AT', {}],
    ['another point named', { S117_CRASH_AT: 'after-application-created' }],
    ['inside a Lambda, even when named', { S117_CRASH_AT: 'after-response-saved', AWS_LAMBDA_FUNCTION_NAME: 'record-response' }],
  ])('does nothing with %s', (_, variables: Record<string, string>) => {
    vi.stubEnv('S117_CRASH_AT', undefined);
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', undefined);
    for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
    const kill = vi.spyOn(process, 'kill').mockImplementation(() => true);

    crashPoint('after-response-saved');

    expect(kill).not.toHaveBeenCalled();
  });

  it('kills its own process with SIGKILL at the named point in the local runtime', () => {
    vi.stubEnv('S117_CRASH_AT', 'after-response-saved');
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', undefined);
    const kill = vi.spyOn(process, 'kill').mockImplementation(() => true);

    crashPoint('after-response-saved');

    expect(kill).toHaveBeenCalledWith(process.pid, 'SIGKILL');
  });
});
