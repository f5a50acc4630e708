/** The export manifest: the same period over the same data gives the same lines, whatever order the policies come in. */
import { describe, expect, it } from 'vitest';
import { latestChange, manifestCaseLine, manifestHeader, type ManifestRequest } from '#domain/exports/manifest.ts';
import type { ApportionmentPolicy } from '#domain/apportionment/policy.ts';

const policy = (id: string, version: number, effectiveTo?: string): ApportionmentPolicy =>
  ({
    id,
    version,
    partnershipId: 'P1',
    effectiveFrom: '2024-04-01',
    ...(effectiveTo ? { effectiveTo } : {}),
    agreementRef: 's75',
    description: '',
  }) as ApportionmentPolicy;
const request = (policies: ApportionmentPolicy[]): ManifestRequest => ({
  partnershipId: 'P1',
  period: '2024-05',
  from: '2024-04',
  to: '2024-05',
  policies,
  previousBatchIds: ['b-1', 'b-2'],
});

describe('manifest', () => {
  it('lists the batch, its policies by id then version, and the batches it adjusts, oldest first', () => {
    const header = manifestHeader(request([policy('pol-b', 1), policy('pol-a', 2, '2024-12-31'), policy('pol-a', 1)]));
    expect(header).toBe(
      's117-export/1|P1|2024-05|2024-04|2024-05\n' +
        'policy|pol-a|1|2024-04-01|\n' +
        'policy|pol-a|2|2024-04-01|2024-12-31\n' +
        'policy|pol-b|1|2024-04-01|\n' +
        'adjusts|b-1\nadjusts|b-2\n',
    );
    expect(manifestHeader(request([policy('pol-a', 1), policy('pol-b', 1), policy('pol-a', 2, '2024-12-31')]))).toBe(header);
  });

  it('one line per case, and generated_at is the latest change, never before the floor', () => {
    expect(manifestCaseLine({ id: 'c1', version: 3, updatedAt: '2024-05-02T10:00:00.000Z' })).toBe('case|c1|3|2024-05-02T10:00:00.000Z\n');
    const cases = [{ updatedAt: '2024-05-02T10:00:00.000Z' }, { updatedAt: '2024-05-03T09:00:00.000Z' }];
    expect(latestChange(cases, '2024-05-01T00:00:00.000Z')).toBe('2024-05-03T09:00:00.000Z');
    expect(latestChange(cases, '2024-06-01T00:00:00.000Z')).toBe('2024-06-01T00:00:00.000Z');
    expect(latestChange([], '2024-06-01T00:00:00.000Z')).toBe('2024-06-01T00:00:00.000Z');
  });
});
