import { css } from 'lit';

export const lvAnalyticsHeatmapStyles = css`
    .heat {
      overflow-x: auto;
    }
    .heat table {
      border-collapse: collapse;
      font-size: 0.85em;
    }
    .heat td,
    .heat th {
      padding: 2px 3px;
      text-align: center;
      min-width: 22px;
    }
    .heat td:focus {
      outline: 1px solid var(--vscode-focusBorder);
    }
    .l0 {
      color: var(--vscode-descriptionForeground);
    }
    .l1 {
      background: color-mix(in srgb, var(--vscode-charts-blue, #1a85ff) 20%, transparent);
    }
    .l2 {
      background: color-mix(in srgb, var(--vscode-charts-blue, #1a85ff) 40%, transparent);
    }
    .l3 {
      background: color-mix(in srgb, var(--vscode-charts-blue, #1a85ff) 65%, transparent);
    }
    .l4 {
      background: color-mix(in srgb, var(--vscode-charts-blue, #1a85ff) 90%, transparent);
      color: var(--vscode-button-foreground, #fff);
    }
`;
