/** The cost model's price list (bench/prices/<region>.json): named, dated, sourced, and honest about what it lacks. */
import { describe, expect, it } from 'vitest';
import { notRegional, PRICE_LIST_FILE, priceList, PRICES } from '../../bench/costs.bench.ts';
import { loadStageConfig } from '#lib/config.ts';

describe('the price list', () => {
  it("is the deployed region's, with the date it was read", () => {
    expect(priceList.region).toBe(loadStageConfig('prod').region);
    expect(PRICE_LIST_FILE.endsWith(`bench/prices/${priceList.region}.json`)).toBe(true);
    expect(priceList.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('gives every price the cost per application uses, from the file', () => {
    for (const [name, value] of Object.entries(PRICES)) expect(priceList.prices[name]?.value).toBe(value);
    expect(PRICES.stateTransition).toBe(0.000025);
  });

  it("says why wherever a price is not the region's own figure or has none", () => {
    for (const [name, price] of Object.entries(priceList.prices)) {
      if (!price['eu-west-2'] || price.value === null) expect(price.notFound, name).toMatch(/\S/);
      expect(price.source, name).toMatch(/^https:\/\//);
    }
    expect(notRegional).not.toContain('stateTransition');
  });
});
