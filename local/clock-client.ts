/** Client for the local-only clock calls of the Step Functions stand-in (`X-Amz-Target: S117Local.*`). */
import type { PendingTimer } from './clock.ts';

export interface ClockState {
  mode: 'real' | 'virtual';
  now: number;
  pendingTimers: PendingTimer[];
}

async function call<T>(sfnEndpoint: string, operation: string, body: unknown): Promise<T> {
  const response = await fetch(sfnEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `S117Local.${operation}` },
    body: JSON.stringify(body),
  });
  const parsed = (await response.json()) as T & { message?: string };
  if (!response.ok) throw new Error(`${operation} failed: ${parsed.message ?? response.status}`);
  return parsed;
}

export const describeClock = (sfnEndpoint: string): Promise<ClockState> => call(sfnEndpoint, 'DescribeClock', {});

/** Moves the simulated clock forward; due Wait states, task timeouts and heartbeat deadlines fire on the way. */
export const advanceClock = (sfnEndpoint: string, milliseconds: number): Promise<{ now: number; fired: string[] }> =>
  call(sfnEndpoint, 'AdvanceClock', { milliseconds });
