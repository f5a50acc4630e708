/**
 * Server-side SVG bar charts for the workspace (issue 16, item 3): a string of SVG, no DOM, no script, written
 * here rather than taken from a package (docs/decisions.md says why). Each chart is `role="img"` with a
 * `<title>` and `<desc>` that say what it shows and its figures in words, so a screen reader gets the same facts;
 * the page shows the table behind it as well. Bounded: at most MAX_BARS bars, labels cut to MAX_LABEL_CHARS, and
 * values that are not finite, or below zero, drawn as zero. Every text is escaped. Colours are the NHS palette with
 * at least 4.5:1 contrast on white (NHS blue #005eb8 bars, NHS black #212b32 text).
 */
import { escapeHtml } from './html.ts';

export const MAX_BARS = 24;
export const MAX_LABEL_CHARS = 24;

export interface Bar {
  /** The category, under the bar ("Mar 2025", "0 to 30 days"). */
  label: string;
  value: number;
  /** The value as the page writes it ("£1,850.00", "95%"), above the bar. */
  display: string;
}

export interface BarChart {
  /** A page-unique id (letters, digits, hyphens): the title and description are found by it. */
  id: string;
  title: string;
  /** What the chart shows, in a sentence; the bars' figures are added to it. */
  description: string;
  bars: readonly Bar[];
}

const WIDTH = 640;
const HEIGHT = 260;
const TOP = 28;
const BOTTOM = 48;
const LEFT = 16;
const RIGHT = 16;
const BLUE = '#005eb8';
const TEXT = '#212b32';
const GRID = '#4c6272';

const cut = (s: string): string => (s.length > MAX_LABEL_CHARS ? `${s.slice(0, MAX_LABEL_CHARS - 1)}…` : s);
const round = (n: number): number => Math.round(n * 10) / 10;

/**
 * A bar's label under it: on one line when it fits the bar's slot (estimating a character at 0.6 of the font size),
 * else its words on two lines ("Jan" over "2025").
 */
function labelText(label: string, x: number, y: number, fontSize: number, slot: number): string {
  const space = label.indexOf(' ');
  const attributes = `text-anchor="middle" font-size="${fontSize}" fill="${TEXT}"`;
  if (label.length * fontSize * 0.6 <= slot * 0.95 || space === -1)
    return `<text x="${x}" y="${y}" ${attributes}>${escapeHtml(label)}</text>`;
  return (
    `<text x="${x}" y="${y}" ${attributes}><tspan x="${x}">${escapeHtml(label.slice(0, space))}</tspan>` +
    `<tspan x="${x}" dy="${fontSize + 2}">${escapeHtml(label.slice(space + 1))}</tspan></text>`
  );
}

/** The chart as an inline SVG element. */
export function barChartSvg(chart: BarChart): string {
  if (!/^[A-Za-z][A-Za-z0-9-]{0,40}$/.test(chart.id)) throw new Error('A chart id is a letter then letters, digits or hyphens');
  const bars = chart.bars.slice(0, MAX_BARS).map((b) => ({ ...b, value: Number.isFinite(b.value) && b.value > 0 ? b.value : 0 }));
  const max = Math.max(0, ...bars.map((b) => b.value));
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = bars.length === 0 ? 0 : (WIDTH - LEFT - RIGHT) / bars.length;
  const barWidth = Math.max(1, slot * 0.7);
  const baseline = HEIGHT - BOTTOM;
  const fontSize = bars.length > 12 ? 9 : 12;
  const words = bars.length === 0 ? 'There are no figures yet.' : `${bars.map((b) => `${cut(b.label)}: ${b.display}`).join('; ')}.`;
  const drawn = bars.map((b, i) => {
    const h = max === 0 ? 0 : (b.value / max) * plotHeight;
    const x = LEFT + i * slot + (slot - barWidth) / 2;
    const centre = round(x + barWidth / 2);
    return (
      `<rect x="${round(x)}" y="${round(baseline - h)}" width="${round(barWidth)}" height="${round(h)}" fill="${BLUE}"/>` +
      `<text x="${centre}" y="${round(baseline - h - 6)}" text-anchor="middle" font-size="${fontSize}" fill="${TEXT}">${escapeHtml(cut(b.display))}</text>` +
      labelText(cut(b.label), centre, baseline + 18, fontSize, slot)
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="s117-chart" role="img" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" ` +
    `style="max-width:${WIDTH}px;height:auto" aria-labelledby="${chart.id}-title ${chart.id}-desc" font-family="Frutiger W01, Arial, sans-serif">` +
    `<title id="${chart.id}-title">${escapeHtml(chart.title)}</title>` +
    `<desc id="${chart.id}-desc">${escapeHtml(`${chart.description} ${words}`)}</desc>` +
    `<line x1="${LEFT}" y1="${baseline}" x2="${WIDTH - RIGHT}" y2="${baseline}" stroke="${GRID}" stroke-width="1"/>` +
    drawn.join('') +
    '</svg>'
  );
}
