import { css } from 'lit';

export const lvAnalyticsProficiencyStyles = css`
    .lists {
      display: grid;
      grid-template-columns: 1fr 1fr;
      gap: 12px;
    }
`;
