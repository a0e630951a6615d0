import { html, LitElement, css } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { onThemeChange, themeColor } from '../theme';
import { describeRate, formatAxisDay, formatCount } from '../format';

// Only the parts used: the bundle stays small.
Chart.register(LineController, BarController, LineElement, BarElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend);

export interface DayPoint {
  day: string;
  total: number;
  successes: number;
}

/** Success rate (line) and volume (bars) per day, in the theme's colours. */
@customElement('lv-trend-chart')
export class LvTrendChart extends LitElement {
  static override styles = css`
    :host {
      display: block;
      position: relative;
      height: 220px;
    }
    canvas {
      max-width: 100%;
    }
  `;

  /** The daily series, oldest first (aggregated by the host: at most a few thousand points). */
  @property({ attribute: false }) days: DayPoint[] = [];
  private chart: Chart | undefined;
  private stopWatchingTheme: (() => void) | undefined;
  /** Milliseconds the last redraw took (read by the tests and the benchmark). */
  lastDrawMs = 0;

  override render() {
    return html`<canvas role="img" aria-label="Success rate and examples per day"></canvas>`;
  }

  override firstUpdated(): void {
    this.stopWatchingTheme = onThemeChange(() => this.draw(true));
  }

  override updated(): void {
    this.draw(false);
  }

  override disconnectedCallback(): void {
    this.stopWatchingTheme?.();
    this.chart?.destroy();
    this.chart = undefined;
    super.disconnectedCallback();
  }

  /** The colours in use, for tests of the theme switch. */
  get colors(): { line: string; bars: string } {
    return { line: themeColor('--vscode-charts-green', '#388a34'), bars: themeColor('--vscode-charts-blue', '#1a85ff') };
  }

  private draw(recolor: boolean): void {
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas) return;
    const started = performance.now();
    const { line, bars } = this.colors;
    const text = themeColor('--vscode-descriptionForeground', '#717171');
    const grid = themeColor('--vscode-widget-border', 'rgba(128,128,128,0.25)');
    const labels = this.days.map((d) => d.day);
    const rates = this.days.map((d) => (d.total > 0 ? Math.round((d.successes / d.total) * 1000) / 10 : null));
    const volume = this.days.map((d) => d.total);
    if (!this.chart) {
      this.chart = new Chart(canvas, {
        data: {
          labels,
          datasets: [
            { type: 'line', label: 'Success rate (%)', data: rates, borderColor: line, backgroundColor: line, yAxisID: 'rate', pointRadius: 2, spanGaps: false },
            { type: 'bar', label: 'Examples', data: volume, backgroundColor: bars, yAxisID: 'volume', opacity: 0.5 } as never,
          ],
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          interaction: { mode: 'index', intersect: false },
          // A click on a day filters to it (the day's label is YYYY-MM-DD).
          onClick: (_event, elements) => {
            const index = elements[0]?.index;
            const day = index === undefined ? undefined : this.days[index]?.day;
            if (day) this.dispatchEvent(new CustomEvent<string>('lv-pick-day', { detail: day, bubbles: true, composed: true }));
          },
          scales: {
            x: { ticks: { color: text, maxTicksLimit: 10, callback: (v) => formatAxisDay(this.days[Number(v)]?.day ?? '') }, grid: { color: grid } },
            rate: { position: 'left', min: 0, max: 100, ticks: { color: text }, grid: { color: grid }, title: { display: true, text: 'Success rate (%)', color: text } },
            volume: { position: 'right', beginAtZero: true, ticks: { color: text }, grid: { display: false }, title: { display: true, text: 'Examples', color: text } },
          },
          plugins: {
            legend: { labels: { color: text } },
            // The rate with its interval and its sample, as everywhere else.
            tooltip: {
              callbacks: {
                label: (item) => {
                  const d = this.days[item.dataIndex];
                  if (!d) return '';
                  if (item.datasetIndex === 1) return `Examples: ${formatCount(d.total)}`;
                  return `Success: ${describeRate(d.successes, d.total)}`;
                },
              },
            },
          },
        },
      });
    } else {
      this.chart.data.labels = labels;
      this.chart.data.datasets[0]!.data = rates;
      this.chart.data.datasets[1]!.data = volume;
      if (recolor) {
        const [l, b] = this.chart.data.datasets;
        l!.borderColor = l!.backgroundColor = line;
        b!.backgroundColor = bars;
        for (const axis of ['x', 'rate', 'volume'] as const) {
          const scale = this.chart.options.scales![axis]!;
          scale.ticks!.color = text;
          const title = (scale as { title?: { color?: unknown } }).title;
          if (title) title.color = text;
        }
        this.chart.options.plugins!.legend!.labels!.color = text;
      }
      this.chart.update('none');
    }
    this.lastDrawMs = performance.now() - started;
    this.dataset.line = line;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lv-trend-chart': LvTrendChart;
  }
}
