import { css } from 'lit';

export const filterBarStyles = css`
  :host {
    display: block;
    margin-bottom: 10px;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 6px 10px;
    align-items: center;
  }
  label {
    display: inline-flex;
    gap: 4px;
    align-items: center;
    color: var(--vscode-descriptionForeground, inherit);
  }
  select,
  input[type='search'],
  input[type='text'],
  input[type='date'] {
    font: inherit;
    color: var(--vscode-input-foreground, inherit);
    background: var(--vscode-input-background, transparent);
    border: 1px solid var(--vscode-input-border, var(--vscode-widget-border, rgba(128, 128, 128, 0.4)));
    border-radius: 2px;
    padding: 2px 4px;
    min-width: 0;
  }
  select {
    background: var(--vscode-dropdown-background, var(--vscode-input-background, transparent));
    color: var(--vscode-dropdown-foreground, inherit);
  }
  input[type='search'] {
    width: 14em;
    max-width: 100%;
  }
  input[aria-invalid='true'] {
    border-color: var(--vscode-inputValidation-errorBorder, #be1100);
  }
  .error {
    color: var(--vscode-errorForeground, #f48771);
  }
  .error:empty {
    display: none;
  }
  :focus-visible {
    outline: 1px solid var(--vscode-focusBorder, #007fd4);
    outline-offset: -1px;
  }
  .chips {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    margin-top: 6px;
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    border-radius: 10px;
    padding: 1px 4px 1px 8px;
    background: var(--vscode-badge-background, rgba(128, 128, 128, 0.25));
    color: var(--vscode-badge-foreground, inherit);
    font-size: 0.9em;
  }
  .chip button {
    border: none;
    background: none;
    color: inherit;
    cursor: pointer;
    font: inherit;
    padding: 0 3px;
    border-radius: 50%;
  }
  .chip button:hover {
    background: var(--vscode-toolbar-hoverBackground, rgba(128, 128, 128, 0.3));
  }
`;
