import { css } from 'lit';

export const lvAnalyticsAbStyles = css`
    .verdict {
      font-weight: 600;
      margin: 8px 0 0;
    }
`;
