import type { Container } from '../../container';
import { showInfo, showWarning } from '../../notify';

export async function checkAlerts(c: Container): Promise<{ fired: number; resolved: number; checked: number }> {
  const r = await c.data.request('checkAlerts', {}, 120_000);
  c.notifyChanged();
  const failed = r.failures.length ? ` Delivery failed: ${r.failures.join('; ')}.` : '';
  if (r.fired.length === 0) {
    const message = `Learning Viewer: checked ${r.checked} alert rule subjects: ${r.fired.length} fired, ${r.resolved.length} resolved. A rule fires when its condition holds for two checks in a row.${failed}`;
    void (failed ? showWarning(message) : showInfo(message));
  } else if (failed) void showWarning(`Learning Viewer:${failed}`);
  return { fired: r.fired.length, resolved: r.resolved.length, checked: r.checked };
}
