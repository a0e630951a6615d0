import { css } from 'lit';

/** What the Analytics, Learning and Knowledge tabs share: framed sections, headings, form controls, the primary button. */
export const panelStyles = css`
  section {
    border: 1px solid var(--vscode-widget-border, rgba(128, 128, 128, 0.35));
    border-radius: 4px;
    padding: 10px 12px;
    min-width: 0;
  }
  h2 {
    font-size: 1.05em;
    margin: 0 0 8px;
  }
  .muted {
    color: var(--vscode-descriptionForeground);
  }
  input,
  select {
    background: var(--vscode-input-background, transparent);
    color: var(--vscode-input-foreground, inherit);
    border: 1px solid var(--vscode-input-border, rgba(128, 128, 128, 0.5));
    padding: 3px 5px;
  }
  button.primary {
    background: var(--vscode-button-background);
    color: var(--vscode-button-foreground);
    border: none;
    padding: 3px 10px;
    cursor: pointer;
  }
`;
