// What a line may hold and still be stored exactly as written. Each check
// either passes a value through unchanged or names the reason it is refused:
// nothing is silently changed on its way into the database.

/** Deeper values are refused: walking them (to hash, sort or show) would need an unbounded stack. */
export const MAX_DEPTH = 64;

/** Metric values are summed per day; beyond this magnitude a sum could leave the range of a number. */
export const MAX_METRIC = 1e15;

/** An object that keeps every key as its own property, `__proto__` included. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function pathOf(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/**
 * Why `value` cannot be stored as it is, or null: a number outside the range
 * of a double (`1e309` parses as Infinity and would be written as null), text
 * with a lone UTF-16 surrogate (stored as UTF-8 it would come back as U+FFFD),
 * or nesting deeper than MAX_DEPTH. Iterative, so no input can overflow the stack.
 */
export function unstorableReason(value: unknown, path: string): string | null {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path, depth: 0 }];
  while (stack.length > 0) {
    const { v, path: p, depth } = stack.pop()!;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return `${p || 'a value'} is a number beyond the range that can be stored (${String(v)})`;
    } else if (typeof v === 'string') {
      if (!v.isWellFormed()) return `${p || 'a text'} holds a lone UTF-16 surrogate (at position ${loneSurrogateAt(v)}), which cannot be stored as text`;
    } else if (v !== null && typeof v === 'object') {
      if (depth >= MAX_DEPTH) return `${p || 'the record'} is nested more than ${MAX_DEPTH} levels deep`;
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: `${p}[${i}]`, depth: depth + 1 });
      } else {
        for (const key of Object.keys(v)) {
          if (!key.isWellFormed()) return `a key in ${p || 'the record'} holds a lone UTF-16 surrogate, which cannot be stored as text`;
          stack.push({ v: (v as Record<string, unknown>)[key], path: pathOf(p, key), depth: depth + 1 });
        }
      }
    }
  }
  return null;
}

function loneSurrogateAt(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return i;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}
