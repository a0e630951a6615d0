import { fillDays } from './series';
import type { DashboardState } from './dashboardProtocol';
import { PANEL_DAYS, PANEL_GROUPS } from './dashboardProtocol';

type Breakdowns = Pick<DashboardState, 'byTag' | 'byModel' | 'daily'>;

function sum(rows: readonly { total: number }[]): number {
  return rows.reduce((s, r) => s + r.total, 0);
}

/**
 * Caps the panel's lists so the state always fits its schema: the most used
 * tags and models and the latest days, and a count of what was left out.
 * Without it, a workspace with more distinct tags than the schema allows
 * would have its whole state refused and the panel stuck on "Loading…".
 */
export function capForPanel(b: Breakdowns): Breakdowns & Pick<DashboardState, 'omitted'> {
  const byTag = [...b.byTag].sort((x, y) => y.total - x.total || x.tag.localeCompare(y.tag));
  const byModel = [...b.byModel].sort((x, y) => y.total - x.total || x.model.localeCompare(y.model));
  // One slot per calendar day, the latest PANEL_DAYS: a stretch without examples shows as one.
  const daily = fillDays(b.daily, PANEL_DAYS, (day) => ({ day, total: 0, successes: 0, unknown: 0 }));
  const left = daily.length ? b.daily.filter((d) => d.day < daily[0]!.day) : [];
  return {
    byTag: byTag.slice(0, PANEL_GROUPS),
    byModel: byModel.slice(0, PANEL_GROUPS),
    daily,
    omitted: {
      tags: { groups: Math.max(0, byTag.length - PANEL_GROUPS), total: sum(byTag.slice(PANEL_GROUPS)) },
      models: { groups: Math.max(0, byModel.length - PANEL_GROUPS), total: sum(byModel.slice(PANEL_GROUPS)) },
      days: { groups: left.length, total: sum(left), before: left.length > 0 ? daily[0]!.day : null },
    },
  };
}
