import { css } from 'lit';

/** A button that looks like a link (Export…, Clear all). */
export const linkButtonStyles = css`
  .link {
    background: none;
    border: none;
    color: var(--vscode-textLink-foreground, #3794ff);
    cursor: pointer;
    font: inherit;
    padding: 0 4px;
  }
`;
