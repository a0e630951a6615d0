import { css } from 'lit';

export const appStyles = css`
  :host {
    display: block;
    color: var(--vscode-foreground, #333);
    font-family: var(--vscode-font-family, system-ui, sans-serif);
    font-size: var(--vscode-font-size, 13px);
    padding: 12px 16px 24px;
    max-width: 1400px;
  }
  header {
    display: flex;
    align-items: baseline;
    gap: 12px;
    flex-wrap: wrap;
    margin-bottom: 8px;
  }
  h1 {
    font-size: 1.4em;
    font-weight: 600;
    margin: 0;
  }
  nav[role='tablist'] {
    display: flex;
    flex-wrap: wrap;
    gap: 2px;
    border-bottom: 1px solid var(--vscode-panel-border, rgba(128, 128, 128, 0.35));
    margin-bottom: 12px;
  }
  nav button[role='tab'] {
    background: none;
    border: none;
    border-bottom: 2px solid transparent;
    color: var(--vscode-descriptionForeground, inherit);
    padding: 6px 10px;
    font: inherit;
    cursor: pointer;
  }
  nav button[role='tab'][aria-selected='true'] {
    color: var(--vscode-foreground, inherit);
    border-bottom-color: var(--vscode-focusBorder, #007fd4);
  }
  button:focus-visible {
    outline: 1px solid var(--vscode-focusBorder, #007fd4);
    outline-offset: 1px;
  }
  .health {
    margin-top: 14px;
    font-size: 0.9em;
    color: var(--vscode-descriptionForeground, inherit);
    display: flex;
    gap: 12px;
    flex-wrap: wrap;
  }
  .health .state-ok {
    color: var(--vscode-testing-iconPassed, #388a34);
  }
  .health .state-warn {
    color: var(--vscode-editorWarning-foreground, #bf8803);
  }
  .empty {
    border: 1px dashed var(--vscode-panel-border, rgba(128, 128, 128, 0.5));
    border-radius: 4px;
    padding: 20px;
    max-width: 640px;
  }
  .empty h2 {
    margin-top: 0;
    font-size: 1.15em;
  }
  .empty code {
    font-family: var(--vscode-editor-font-family, monospace);
    background: var(--vscode-textCodeBlock-background, rgba(128, 128, 128, 0.15));
    padding: 0 3px;
    border-radius: 3px;
  }
  .actions {
    display: flex;
    gap: 8px;
    flex-wrap: wrap;
    margin-top: 12px;
  }
  .primary,
  .secondary {
    font: inherit;
    padding: 4px 12px;
    border-radius: 2px;
    border: 1px solid var(--vscode-button-border, transparent);
    cursor: pointer;
  }
  .primary {
    background: var(--vscode-button-background, #007acc);
    color: var(--vscode-button-foreground, #fff);
  }
  .primary:hover {
    background: var(--vscode-button-hoverBackground, #0062a3);
  }
  .secondary {
    background: var(--vscode-button-secondaryBackground, #5f6a79);
    color: var(--vscode-button-secondaryForeground, #fff);
  }
  header .place {
    font-size: 0.85em;
    opacity: 0.85;
    overflow-wrap: anywhere;
  }
  .banner {
    padding: 6px 10px;
    margin-bottom: 10px;
    border-left: 3px solid var(--vscode-editorWarning-foreground, #bf8803);
    background: var(--vscode-inputValidation-warningBackground, rgba(191, 136, 3, 0.1));
  }
  .loading {
    color: var(--vscode-descriptionForeground, inherit);
  }
`;
