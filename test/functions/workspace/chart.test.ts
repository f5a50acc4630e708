/** The workspace's SVG bar charts (issue 16, item 3): an image with a text alternative, escaped, bounded. */
import { describe, expect, it } from 'vitest';
import { barChartSvg, MAX_BARS } from '#functions/workspace/chart.ts';

const chart = (bars: { label: string; value: number; display: string }[]) =>
  barChartSvg({ id: 'test-chart', title: 'Title <b>', description: 'What it shows.', bars });

describe('barChartSvg', () => {
  it('is an image named by its title and described by its figures in words', () => {
    const svg = chart([
      { label: 'Jan', value: 10, display: '£0.10' },
      { label: 'Feb', value: 20, display: '£0.20' },
    ]);
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="test-chart-title test-chart-desc"/);
    expect(svg).toContain('<title id="test-chart-title">Title &lt;b&gt;</title>');
    expect(svg).toContain('<desc id="test-chart-desc">What it shows. Jan: £0.10; Feb: £0.20.</desc>');
    expect(svg).not.toContain('<script');
  });

  it('draws bars in proportion, the largest filling the plot', () => {
    const heights = [
      ...chart([
        { label: 'a', value: 50, display: '50' },
        { label: 'b', value: 100, display: '100' },
        { label: 'c', value: 0, display: '0' },
      ]).matchAll(/<rect [^>]*height="([\d.]+)"/g),
    ].map((m) => Number(m[1]));
    expect(heights).toStrictEqual([92, 184, 0]);
  });

  it('escapes labels, cuts long ones, draws bad values as zero and keeps at most MAX_BARS bars', () => {
    const svg = chart([
      { label: '<script>alert(1)</script> and a very long label', value: Number.NaN, display: '"x"' },
      { label: 'neg', value: -5, display: '-5' },
      ...Array.from({ length: 40 }, (_, i) => ({ label: `m${i}`, value: i, display: String(i) })),
    ]);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/scrip…');
    expect(svg).toContain('&quot;x&quot;');
    expect([...svg.matchAll(/<rect /g)]).toHaveLength(MAX_BARS);
    expect(svg).not.toMatch(/height="-|NaN/);
  });

  it('puts a label that does not fit its bar on two lines', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ label: `Month ${2000 + i}`, value: i, display: String(i) }));
    expect(chart(many)).toContain('<tspan x="41.3">Month</tspan><tspan x="41.3" dy="14">2000</tspan>');
    expect(chart(many.slice(0, 2))).toContain('>Month 2000</text>');
  });

  it('says so when there are no figures, and refuses an id that could break the markup', () => {
    expect(chart([])).toContain('What it shows. There are no figures yet.</desc>');
    expect(() => barChartSvg({ id: 'x" onload="y', title: 't', description: 'd', bars: [] })).toThrow();
  });
});
