import { css } from 'lit';

export const cardStyles = css`
  :host {
    display: block;
    min-width: 0;
  }
  .card {
    border: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, rgba(128, 128, 128, 0.35)));
    background: var(--vscode-editorWidget-background, transparent);
    border-radius: 4px;
    padding: 10px 12px;
    height: 100%;
    box-sizing: border-box;
  }
  .label {
    font-size: 0.85em;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    color: var(--vscode-descriptionForeground, inherit);
  }
  .value {
    font-size: 1.8em;
    font-weight: 600;
    margin: 4px 0 2px;
    color: var(--vscode-foreground, inherit);
    font-variant-numeric: tabular-nums;
  }
  .detail {
    font-size: 0.9em;
    color: var(--vscode-descriptionForeground, inherit);
  }
  .detail.up {
    color: var(--vscode-testing-iconPassed, #388a34);
  }
  .detail.down {
    color: var(--vscode-testing-iconFailed, #e51400);
  }
`;
