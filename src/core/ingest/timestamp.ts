export type AssumeTimeZone = 'local' | 'utc';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Epoch numbers below this are seconds, at or above it milliseconds (1e11 s is the year 5138). */
const SECONDS_LIMIT = 1e11;

/** The largest epoch in milliseconds a JavaScript date can hold (the year 275760). */
const MAX_EPOCH_MS = 8.64e15;

/**
 * Reads a KIMI timestamp into epoch milliseconds, or returns a reason.
 * Accepted: ISO 8601 with or without an offset (without one it is read in
 * `assume`), a date alone (midnight), and epoch seconds or milliseconds.
 */
export function parseTimestamp(value: unknown, assume: AssumeTimeZone): number | string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return 'timestamp must be an ISO 8601 date or a positive epoch number';
    const ms = value < SECONDS_LIMIT ? Math.round(value * 1000) : Math.round(value);
    if (ms > MAX_EPOCH_MS) return `timestamp ${String(value)} is past the last date a timestamp can hold (the year 275760)`;
    return ms;
  }
  if (typeof value !== 'string') return value === undefined || value === null ? 'timestamp is missing' : `timestamp must be an ISO 8601 string, not ${describe(value)}`;
  const m = ISO.exec(value.trim());
  if (!m) return `timestamp "${clip(value)}" is not an ISO 8601 date`;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', offset] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return `timestamp "${clip(value)}" is not a real date or time`;
  }
  let epoch: number;
  if (offset === undefined && assume === 'local') {
    const local = new Date(2000, month - 1, day, hour, minute, second, ms);
    // setFullYear, not the constructor: the constructor reads years 0-99 as 1900-1999.
    local.setFullYear(year, month - 1, day);
    if (local.getFullYear() !== year || local.getMonth() !== month - 1 || local.getDate() !== day) {
      return `timestamp "${clip(value)}" is not a real date`;
    }
    epoch = local.getTime();
  } else {
    const utc = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms));
    // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
    utc.setUTCFullYear(year, month - 1, day);
    epoch = utc.getTime();
    const check = new Date(epoch);
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return `timestamp "${clip(value)}" is not a real date`;
    if (offset && offset.toUpperCase() !== 'Z') {
      const sign = offset.startsWith('-') ? -1 : 1;
      const digits = offset.slice(1).replace(':', '');
      const oh = Number(digits.slice(0, 2));
      const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
      if (oh > 23 || om > 59) return `timestamp "${clip(value)}" has an impossible UTC offset`;
      epoch -= sign * (oh * 60 + om) * 60_000;
    }
  }
  if (!Number.isFinite(epoch)) return `timestamp "${clip(value)}" is out of range`;
  return epoch;
}

export function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the text "${clip(value, 30)}"`;
  return `${typeof value} ${String(value)}`;
}
