import { css } from 'lit';

export const lvAnalyticsTrendStyles = css`
    .toggle button[aria-pressed='true'] {
      font-weight: 600;
      text-decoration: underline;
    }
`;
