import { css } from 'lit';

/** Tables shared by the overview and the examples list. */
export const tableStyles = css`
  table {
    border-collapse: collapse;
    width: 100%;
    font-variant-numeric: tabular-nums;
  }
  th,
  td {
    text-align: left;
    padding: 3px 6px;
    border-bottom: 1px solid var(--vscode-widget-border, rgba(128, 128, 128, 0.2));
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
    max-width: 28em;
  }
  th {
    font-weight: 600;
    color: var(--vscode-descriptionForeground, inherit);
  }
  td.num,
  th.num {
    text-align: right;
  }
  .inline-interval {
    display: none;
  }
  /* A table's own width decides (a side column, or two tables side by side): first the columns a
     person can do without go, then the interval moves under its rate (a rate never goes without it). */
  @container (max-width: 600px) {
    .wide {
      display: none;
    }
  }
  @container (max-width: 420px) {
    .interval {
      display: none;
    }
    .inline-interval {
      display: block;
      font-size: 0.85em;
    }
    th,
    td {
      padding: 3px 4px;
    }
  }
  tbody tr:hover {
    background: var(--vscode-list-hoverBackground, rgba(128, 128, 128, 0.1));
  }
  tr[aria-selected='true'] {
    /* Background only: the text keeps the editor's colour, readable in every theme. */
    background: var(--vscode-list-inactiveSelectionBackground, rgba(0, 120, 212, 0.25));
    outline: 1px solid var(--vscode-list-focusOutline, transparent);
    outline-offset: -1px;
  }
  button.cell {
    background: none;
    border: none;
    padding: 0;
    font: inherit;
    color: var(--vscode-textLink-foreground, #3794ff);
    cursor: pointer;
    text-align: left;
  }
  :focus-visible {
    outline: 1px solid var(--vscode-focusBorder, #007fd4);
    outline-offset: -1px;
  }
  .muted {
    color: var(--vscode-descriptionForeground, inherit);
  }
  .ok {
    color: var(--vscode-testing-iconPassed, #388a34);
  }
  .bad {
    color: var(--vscode-testing-iconFailed, #e51400);
  }
  .unknown {
    color: var(--vscode-descriptionForeground, inherit);
    font-style: italic;
  }
  ul.evidence {
    margin: 0;
    padding-left: 1.2em;
  }
  .scroll {
    container-type: inline-size;
    overflow-x: auto;
  }
`;
