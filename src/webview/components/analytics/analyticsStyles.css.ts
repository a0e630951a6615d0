import { css } from 'lit';

/** What the Analytics tab's sections share: a section fills its grid cell, statements, warnings, cards, control rows. */
export const analyticsSectionStyles = css`
  :host {
    display: block;
    min-width: 0;
  }
  section {
    height: 100%;
    box-sizing: border-box;
  }
  .statement {
    margin: 4px 0 8px;
  }
  .small {
    color: var(--vscode-editorWarning-foreground);
    font-size: 0.9em;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
    margin-bottom: 8px;
  }
  select {
    background: var(--vscode-dropdown-background, transparent);
    color: var(--vscode-dropdown-foreground, inherit);
    border: 1px solid var(--vscode-dropdown-border, rgba(128, 128, 128, 0.5));
    padding: 2px 4px;
  }
  ul.cards {
    list-style: none;
    padding: 0;
    margin: 0;
    display: grid;
    gap: 8px;
  }
  ul.cards li {
    border-left: 3px solid var(--vscode-focusBorder);
    padding: 4px 8px;
  }
  ul.cards li.regression,
  ul.cards li.decline,
  ul.cards li.weak {
    border-left-color: var(--vscode-editorWarning-foreground);
  }
  ul.cards strong {
    display: block;
  }
`;
