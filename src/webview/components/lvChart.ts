import { css, html, LitElement } from 'lit';
import { formatAxisDay } from '../format';
import { customElement, property } from 'lit/decorators.js';
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
}



/** A percentage chart (0–100) over labelled points, in the theme's colours, redrawn in place. */
@customElement('lv-chart')
export class LvChart extends LitElement {
  static override styles = css`
    :host {
      display: block;
      position: relative;
      height: 220px;
    }
  `;

  @property({ attribute: false }) labels: string[] = [];
  @property({ attribute: false }) series: Series[] = [];
  /** Describes the chart for screen readers. */
  @property() summary = '';
  /** Axis title for the values. */
  @property() unit = '%';
  /**
   * Day numbers (days since 1970-01-01) of the points, for a time axis spaced by time rather than by
   * point (a forecast 7 and 30 days on); without them, one slot per label.
   */
  @property({ attribute: false }) days: number[] | null = null;
  private chart: Chart | undefined;
  private stopWatchingTheme: (() => void) | undefined;
  /** Milliseconds the last redraw took. */
  lastDrawMs = 0;

  override render() {
    return html`<canvas role="img" aria-label=${this.summary}></canvas>`;
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
          scales: {
            x: this.days
              ? { type: 'linear', ticks: { color: text, maxTicksLimit: 8, callback: (v) => formatAxisDay(new Date(Number(v) * 86_400_000).toISOString().slice(0, 10)) }, grid: { color: grid } }
              : { ticks: { color: text, maxTicksLimit: 10, callback: (v) => formatAxisDay(this.labels[Number(v)] ?? '') }, grid: { color: grid } },
            y: { min: 0, max: this.unit === '%' ? 100 : undefined, ticks: { color: text }, grid: { color: grid }, title: { display: true, text: this.unit, color: text } },
          },
          plugins: {
            legend: { labels: { color: text, filter: (item) => !hidden.has(item.text) } },
            tooltip: { filter: (item) => item.parsed.y !== null },
          },
        },
      });
    } else {
      this.chart.data.labels = this.days ? [] : this.labels;
      this.chart.data.datasets = this.datasets() as never;
      this.chart.update('none');
    }
    this.lastDrawMs = performance.now() - started;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lv-chart': LvChart;
  }
}
