import { css, html, LitElement, nothing } from 'lit';
import { describeRate, formatAxisDay, formatCount } from '../format';
import { dayLabel } from '../../shared/series';
import { tableStyles } from './tables.css';
import { customElement, property, state } from 'lit/decorators.js';
import { BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { onThemeChange, themeColor } from '../theme';

Chart.register(LineController, BarController, LineElement, BarElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend, Filler);

/** The chart palette, from VS Code's chart colours. */
export const PALETTE = [
  ['--vscode-charts-blue', '#1a85ff'],
  ['--vscode-charts-green', '#388a34'],
  ['--vscode-charts-orange', '#d18616'],
  ['--vscode-charts-purple', '#652d90'],
  ['--vscode-charts-red', '#e51400'],
  ['--vscode-charts-yellow', '#bf8803'],
] as const;

export interface Series {
  label: string;
  data: (number | null)[];
  /** Index into PALETTE. */
  color: number;
  kind?: 'line' | 'points' | 'dashed' | 'bar';
  /** Fill down to the previous series (a band between two lines); the series is hidden from the legend. */
  bandWithPrevious?: boolean;
  hideFromLegend?: boolean;
  /** Draw the line across slots without a value (a fitted line); otherwise a slot without data is a gap. */
  spanGaps?: boolean;
  /** For a rate, each point's count: its tooltip and table give the interval and the sample. */
  counts?: ({ successes: number; total: number; unknown?: number } | null)[];
  /** Counts (examples per day) on a second axis at the right, titled `countTitle`; otherwise the percentage axis. */
  axis?: 'count';
}

/**
 * The panel's one chart: a percentage (0–100) over labelled points, with counts on a second axis
 * if a series asks for it, in the theme's colours, redrawn in place and redrawn whole when the
 * theme changes. A click on a point names its label (`lv-pick-label`); each point's tooltip and the
 * table form give a rate with its interval and sample.
 */
@customElement('lv-chart')
export class LvChart extends LitElement {
  static override styles = [
    tableStyles,
    css`
    :host {
      display: block;
    }
    .box {
      position: relative;
      height: 220px;
    }
    details {
      margin: 4px 0;
    }
    summary {
      cursor: pointer;
      color: var(--vscode-textLink-foreground, #3794ff);
    }
    .scroll {
      max-height: 240px;
      overflow: auto;
    }
    table {
      width: auto;
    }
    td {
      text-align: right;
    }
  `,
  ];

  @property({ attribute: false }) labels: string[] = [];
  @property({ attribute: false }) series: Series[] = [];
  /** Describes the chart for screen readers. */
  @property() summary = '';
  /** Axis title for the values. */
  @property() unit = '%';
  /** Title of the count axis, when a series is on it. */
  @property() countTitle = 'Examples';
  /** Offer the built-in table form ("As a table"); off where the page has a richer one. */
  @property({ type: Boolean }) tableForm = true;
  /**
   * Day numbers (days since 1970-01-01) of the points, for a time axis spaced by time rather than by
   * point (a forecast 7 and 30 days on); without them, one slot per label.
   */
  @property({ attribute: false }) days: number[] | null = null;
  private chart: Chart | undefined;
  private stopWatchingTheme: (() => void) | undefined;
  /** The table form is built only while it is open (a series can have thousands of points). */
  @state() private tableOpen = false;
  /** Milliseconds the last redraw took. */
  lastDrawMs = 0;

  override render() {
    const box = html`<div class="box"><canvas role="img" aria-label=${this.summary}></canvas></div>`;
    if (!this.tableForm) return box;
    return html`${box}
      <details data-testid="chart-table" @toggle=${(e: Event) => (this.tableOpen = (e.target as HTMLDetailsElement).open)}>
        <summary>As a table</summary>
        ${this.tableOpen ? this.table() : nothing}
      </details>`;
  }

  /** The chart's points as a table (keyboard and screen reader): a row per label with a value, a column per series in the legend. */
  private table() {
    const shown = this.series.filter((s) => !s.hideFromLegend);
    const rows = this.labels.map((label, i) => ({ label, i, values: shown.map((s) => s.data[i] ?? null) })).filter((r) => r.values.some((v) => v !== null));
    return html`<div class="scroll" tabindex="0">
      <table>
        <thead><tr><th scope="col">${this.days ? 'Week' : 'When'}</th>${shown.map((s) => html`<th scope="col">${s.label}</th>`)}</tr></thead>
        <tbody>
          ${rows.map((r) => html`<tr><th scope="row">${formatAxisDay(r.label)}</th>${r.values.map((v, k) => html`<td>${v === null ? '' : this.valueText(shown[k]!, r.i, v)}</td>`)}</tr>`)}
        </tbody>
      </table>
    </div>`;
  }

  /** A point's value as the tooltip and the table say it: a rate with its interval and sample when its count is known. */
  private valueText(s: Series, index: number, value: number): string {
    if (s.axis === 'count') return formatCount(value);
    const count = s.counts?.[index];
    if (count) return describeRate(count.successes, count.total, count.unknown ?? 0);
    return `${value.toFixed(1)}${this.unit === '%' ? '%' : ''}`;
  }

  override firstUpdated(): void {
    this.stopWatchingTheme = onThemeChange(() => {
      this.chart?.destroy();
      this.chart = undefined;
      this.draw();
    });
  }

  override updated(): void {
    this.draw();
  }

  override disconnectedCallback(): void {
    this.stopWatchingTheme?.();
    this.chart?.destroy();
    this.chart = undefined;
    super.disconnectedCallback();
  }

  private datasets() {
    return this.series.map((s) => {
      const [name, fallback] = PALETTE[s.color % PALETTE.length]!;
      const color = themeColor(name, fallback);
      const kind = s.kind ?? 'line';
      return {
        type: kind === 'bar' ? ('bar' as const) : ('line' as const),
        label: s.label,
        data: this.days ? s.data.map((y, i) => ({ x: this.days![i]!, y })) : s.data,
        borderColor: color,
        backgroundColor: s.bandWithPrevious ? `${color}33` : color,
        borderDash: kind === 'dashed' ? [6, 4] : [],
        borderWidth: s.bandWithPrevious || s.hideFromLegend || kind === 'points' ? 0 : 2,
        pointRadius: kind === 'points' ? 2.5 : s.bandWithPrevious || s.hideFromLegend ? 0 : 1.5,
        showLine: kind !== 'points',
        spanGaps: s.spanGaps ?? false,
        fill: s.bandWithPrevious ? '-1' : false,
        yAxisID: s.axis === 'count' ? 'count' : 'y',
        // Lines over bars.
        order: kind === 'bar' ? 1 : 0,
      };
    });
  }

  private draw(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas) return;
    const started = performance.now();
    const text = themeColor('--vscode-descriptionForeground', '#717171');
    const grid = themeColor('--vscode-widget-border', 'rgba(128,128,128,0.25)');
    const hidden = new Set(this.series.flatMap((s, i) => (s.bandWithPrevious || s.hideFromLegend ? [s.label, i] : [])));
    if (!this.chart) {
      this.chart = new Chart(canvas, {
        data: { labels: this.days ? [] : this.labels, datasets: this.datasets() as never },
        options: {
          animation: false,
          maintainAspectRatio: false,
          interaction: { mode: 'index', intersect: false },
          // A click on a point names its label (a day or a week): the page decides what it filters.
          onClick: (_event, elements) => {
            const index = elements[0]?.index;
            const label = index === undefined ? undefined : this.labels[index];
            if (label) this.dispatchEvent(new CustomEvent<string>('lv-pick-label', { detail: label, bubbles: true, composed: true }));
          },
          scales: {
            x: this.days
              ? { type: 'linear', ticks: { color: text, maxTicksLimit: 8, callback: (v) => formatAxisDay(dayLabel(Number(v))) }, grid: { color: grid } }
              : { ticks: { color: text, maxTicksLimit: 10, callback: (v) => formatAxisDay(this.labels[Number(v)] ?? '') }, grid: { color: grid } },
            y: { min: 0, max: this.unit === '%' ? 100 : undefined, ticks: { color: text }, grid: { color: grid }, title: { display: true, text: this.unit === '%' ? 'Success rate (%)' : this.unit, color: text } },
            ...(this.series.some((x) => x.axis === 'count')
              ? { count: { position: 'right' as const, beginAtZero: true, ticks: { color: text }, grid: { display: false }, title: { display: true, text: this.countTitle, color: text } } }
              : {}),
          },
          plugins: {
            legend: { labels: { color: text, filter: (item) => !hidden.has(item.text) } },
            tooltip: {
              filter: (item) => item.parsed.y !== null && !this.series[item.datasetIndex]?.hideFromLegend,
              callbacks: {
                // The label's day in the user's locale, and a rate with its interval and sample.
                title: (items) => {
                  const i = items[0]?.dataIndex;
                  return i === undefined ? '' : formatAxisDay(this.labels[i] ?? '');
                },
                label: (item) => {
                  const s = this.series[item.datasetIndex];
                  if (!s || item.parsed.y === null) return '';
                  // A band reads as its range: from the series below it to its own value.
                  const low = s.bandWithPrevious ? this.series[item.datasetIndex - 1]?.data[item.dataIndex] : null;
                  if (low !== null && low !== undefined) return `${s.label}: ${this.valueText(s, item.dataIndex, low)} – ${this.valueText(s, item.dataIndex, item.parsed.y)}`;
                  return `${s.label}: ${this.valueText(s, item.dataIndex, item.parsed.y)}`;
                },
              },
            },
          },
        },
      });
    } else {
      this.chart.data.labels = this.days ? [] : this.labels;
      this.chart.data.datasets = this.datasets() as never;
      this.chart.update('none');
    }
    this.lastDrawMs = performance.now() - started;
    // Drawn: a test (or a person's click) can use it now; the first series' colour says which theme it was drawn in.
    this.dataset.points = String(this.labels.length);
    const first = this.series[0];
    if (first) {
      const [name, fallback] = PALETTE[first.color % PALETTE.length]!;
      this.dataset.line = themeColor(name, fallback);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lv-chart': LvChart;
  }
}
