// The text filter ("examples whose description, feedback or code contains
// this"). The matching example keys are found here, once per text, and SQL
// reads them either as one JSON array (`search_keys(?)`, for a text few
// examples hold) or as one flag per key (`search_has(?, e.k)`, for a text many
// hold: a page walks the time index and stops at its end). Descriptions and
// feedback are kept in one in-memory buffer, ASCII-lowered as SQLite's LIKE
// folds case, and searched with Buffer.indexOf; codes are searched in their
// side file.
import type { RowSource } from './rowSource';
import type { CodeFile } from './codeFile';

/** One example's searchable text as it is stored. */
export interface SearchRow {
  k: number;
  description: string | null;
  feedback: string | null;
  /** Where its code is in the code file, if it has code. */
  code: readonly [offset: number, length: number] | null;
}

/** The examples a text was found in. */
export interface SearchMatch {
  /** This answer's number, new for each text searched and after each change: a statement names it instead of the text. */
  readonly id: number;
  /** How many examples hold the text. */
  readonly count: number;
  /** One byte per key, 1 where that example holds the text (keys past its end hold 0). */
  readonly has: Uint8Array;
  /** The keys as a JSON array, ascending. */
  json(): string;
}

/** Lower case for ASCII letters only: SQLite's LIKE folds no others. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

type NumberArray = Float64Array | Uint32Array;

/** A growable column of numbers: 32-bit where the values fit (keys, positions in the text buffer), 64-bit for file offsets. */
class Column {
  values: NumberArray;
  length = 0;
  constructor(private readonly wide = false) {
    this.values = wide ? new Float64Array(1024) : new Uint32Array(1024);
  }
  push(v: number): void {
    if (this.length === this.values.length) {
      const grown = this.wide ? new Float64Array(this.values.length * 2) : new Uint32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = v;
  }
}

/** Descriptions and feedback, one segment each, separated by a NUL byte. */
interface TextIndex {
  /** The text, in the chunks it was added in; joined into one when searched. */
  chunks: Buffer[];
  /** Byte position of each segment in the joined buffer. */
  starts: Column;
  keys: Column;
  bytes: number;
}

interface CodeIndex {
  offsets: Column;
  lengths: Column;
  keys: Column;
}

/** Searches a run of codes (their offsets ascending, and lengths) in the code file for a text: the indexes of those that hold it, ascending. */
export type CodeScan = (needle: string, offsets: Float64Array, lengths: Uint32Array) => Promise<ArrayLike<number>>;

/** The examples found so far for a text: a flag per key, and how many are set. */
interface Found {
  has: Uint8Array;
  count: number;
}

/** Deleted examples the indexes keep (and every answer leaves out) before they are built again without them. */
const GONE_MOST = 50_000;

/** Code files smaller than this are searched by one thread: sending half away costs more than it saves. */
const SPLIT_BYTES = 32 * 1024 * 1024;

/** Rows read per slice while the indexes are built. */
const SLICE = 20_000;

export class TextSearch {
  private text: TextIndex | null = null;
  private code: CodeIndex | null = null;
  /** Indexes being built, and the key (text) or offset (code) read up to. */
  private building: { text: TextIndex; code: CodeIndex; textAfter: number; codeAfter: number } | null = null;
  private last: { needle: string; match: SearchMatch } | null = null;
  /** Keys of examples deleted since the indexes were built: they still sit in the indexes, and are left out of every match. */
  private readonly gone = new Set<number>();
  /** Changes to what the indexes hold (examples added or deleted, feedback edited), counted. */
  private changes = 0;
  /** Answers given so far (each answer's id). */
  private answers = 0;
  /** The last few answers, and the texts of the last thousand, by id: for statements read in slices. */
  private readonly recent = new Map<number, SearchMatch>();
  private readonly texts = new Map<number, string>();
  /** The highest key indexed. */
  private topKey = 0;

  constructor(
    /** The store (sql.js) or the benchmark's native SQLite. */
    private readonly source: Pick<RowSource, 'rows'>,
    private readonly codeFile: CodeFile,
    /** Deleted examples kept in the indexes before they are built again without them. */
    private readonly goneMost = GONE_MOST,
  ) {}

  /** Deleted examples the indexes still hold. */
  get deletedHeld(): number {
    return this.gone.size;
  }

  /**
   * The keys of the examples whose description, feedback or code contains
   * `needle` (ASCII case ignored, as LIKE), as a JSON array, ascending.
   */
  keys(needle: string): string {
    return this.match(needle).json();
  }

  /** The examples whose description, feedback or code contains `needle` (ASCII case ignored, as LIKE); the last text's answer is kept. */
  match(needle: string): SearchMatch {
    if (this.last?.needle === needle) return this.last.match;
    this.build();
    const code = this.code!;
    const found = this.inTexts(needle);
    this.addCodes(found, this.codeFile.codesContaining(needle, code.offsets.values, code.lengths.values, code.keys.length), 0);
    return this.answer(needle, found);
  }

  /**
   * Finds `needle` as `match` does, with the later half of the code file searched by `scanFar` (on
   * another thread) while this thread searches the first half and the texts: the next `match` of it
   * is then the answer. Anything that stops the split (a small file, codes not yet on disk, the
   * other thread failing, examples added meanwhile) has this thread search alone.
   */
  async matchAhead(needle: string, scanFar: CodeScan, splitBytes = SPLIT_BYTES): Promise<void> {
    if (this.last?.needle === needle) return;
    this.build();
    const code = this.code!;
    const n = code.keys.length;
    const offsets = code.offsets.values;
    const lengths = code.lengths.values;
    const first = n > 0 ? offsets[0]! : 0;
    const end = n > 0 ? offsets[n - 1]! + lengths[n - 1]! : 0;
    if (n < 2 || end - first < splitBytes || end > this.codeFile.flushedEnd) {
      this.match(needle);
      return;
    }
    // The first code that starts in the second half of the bytes.
    let mid = 0;
    for (let hi = n; mid < hi; ) {
      const m = (mid + hi) >>> 1;
      if (offsets[m]! < first + (end - first) / 2) mid = m + 1;
      else hi = m;
    }
    const changes = this.changes;
    const far = scanFar(needle, offsets.slice(mid, n) as Float64Array, lengths.slice(mid, n) as Uint32Array).catch(() => null);
    // Meanwhile the texts and the first half here.
    const found = this.inTexts(needle);
    this.addCodes(found, this.codeFile.codesContaining(needle, offsets, lengths, mid), 0);
    const farHits = await far;
    if (farHits === null || this.changes !== changes || this.last?.needle === needle) {
      this.match(needle);
      return;
    }
    this.addCodes(found, farHits, mid);
    this.answer(needle, found);
  }

  /** One flag per key: the examples whose description or feedback holds `needle`. */
  private inTexts(needle: string): Found {
    const found: Found = { has: new Uint8Array(this.topKey + 1), count: 0 };
    const { has } = found;
    const text = this.text!;
    if (text.chunks.length !== 1) text.chunks = [Buffer.concat(text.chunks, text.bytes)];
    const all = text.chunks[0]!;
    const pattern = Buffer.from(asciiLower(needle), 'utf8');
    const starts = text.starts.values;
    const segments = text.starts.length;
    let segment = 0;
    for (let at = all.indexOf(pattern); at >= 0; ) {
      // The segment holding this match: the last one that starts at or before it.
      let lo = segment;
      let hi = segments;
      while (lo + 1 < hi) {
        const mid = (lo + hi) >>> 1;
        if (starts[mid]! <= at) lo = mid;
        else hi = mid;
      }
      segment = lo;
      // A match that runs into the separator after its segment spans two texts: it does not count.
      const end = (segment + 1 < segments ? starts[segment + 1]! : text.bytes) - 1;
      if (at + pattern.length <= end) {
        const k = text.keys.values[segment]!;
        if (!has[k]) found.count++;
        has[k] = 1;
        at = all.indexOf(pattern, end + 1);
      } else at = all.indexOf(pattern, at + 1);
    }
    return found;
  }

  /** Flags the examples of the codes that hold the text: `hits` index the code index from `from`. */
  private addCodes(found: Found, hits: ArrayLike<number>, from: number): void {
    const keys = this.code!.keys.values;
    for (let h = 0; h < hits.length; h++) {
      const k = keys[hits[h]! + from]!;
      if (!found.has[k]) found.count++;
      found.has[k] = 1;
    }
  }

  /** The answer for `needle` from its flags, the deleted left out: the last answer from now on. */
  private answer(needle: string, found: Found): SearchMatch {
    const { has } = found;
    let count = found.count;
    for (const k of this.gone) {
      if (has[k]) count--;
      has[k] = 0;
    }
    let json: string | null = null;
    const match: SearchMatch = {
      id: ++this.answers,
      count,
      has,
      // Made from the flags, which are in key order: no sort.
      json: () => {
        if (json !== null) return json;
        const keys: number[] = [];
        for (let k = 0; k < has.length; k++) if (has[k]) keys.push(k);
        return (json = JSON.stringify(keys));
      },
    };
    this.last = { needle, match };
    this.keep(this.recent, match.id, match, 4);
    this.keep(this.texts, match.id, needle, 1000);
    return match;
  }

  /**
   * Whether the example with key `k` holds the text of answer `id`, which a statement asks once per
   * row. Mostly the last answer given; a statement read in slices (an export, between which other
   * searches run) may name an older one, kept or found again by its text.
   */
  has(id: number, k: number): number {
    const last = this.last?.match;
    return (last?.id === id ? last : this.numbered(id)).has[k] ?? 0;
  }

  private numbered(id: number): SearchMatch {
    const kept = this.recent.get(id);
    if (kept) return kept;
    const needle = this.texts.get(id);
    if (needle === undefined) throw new Error(`the text search has no answer ${id}`);
    const again = this.match(needle);
    this.keep(this.recent, id, again, 4);
    return again;
  }

  /** Remembers `value` under `id`, forgetting the oldest beyond `most`. */
  private keep<T>(map: Map<number, T>, id: number, value: T, most: number): void {
    map.set(id, value);
    if (map.size > most) map.delete(map.keys().next().value!);
  }

  /** `match`'s answer as a row source gives it (`RowSource.searchMatches`): its number, its count, and the keys the indexes span (the highest, plus one). */
  matches(needle: string): { id: number; count: number; span: number } {
    const { id, count } = this.match(needle);
    return { id, count, span: this.topKey + 1 };
  }

  /**
   * Examples the store has deleted: left out of every match from now on. Past `goneMost` of them
   * (a retention run, a large delete) the indexes are dropped instead, to be built again from the
   * rows that remain: the data worker does it in its idle time, or the next search.
   */
  removed(keys: readonly number[]): void {
    if (keys.length === 0) return;
    this.last = null;
    this.changes++;
    for (const k of keys) this.gone.add(k);
    if (this.gone.size <= this.goneMost) return;
    this.text = null;
    this.code = null;
    this.building = null;
    this.gone.clear();
  }

  /** Examples the store has just committed: indexed if the indexes are built, and earlier results forgotten. */
  added(rows: readonly SearchRow[]): void {
    this.last = null;
    this.changes++;
    // A key deleted before may be given again.
    if (this.gone.size > 0) for (const r of rows) this.gone.delete(r.k);
    if (this.text) this.addTexts(this.text, rows.map((r) => [r.k, r.description, r.feedback] as const));
    if (this.code) for (const r of rows) if (r.code) this.addCode(this.code, r.k, r.code[0], r.code[1]);
  }

  /** Feedback was edited: the indexes are built again. */
  textChanged(): void {
    this.last = null;
    this.changes++;
    this.text = null;
    this.building = null;
  }

  /**
   * Builds the indexes one slice at a time: each step reads at most SLICE
   * rows and returns whether more remain. The data worker runs it in its idle
   * time after opening, so the first search finds them ready; a search that
   * comes sooner finishes the build itself.
   */
  buildStep(): boolean {
    if (this.text && this.code) return false;
    const b = (this.building ??= {
      text: { chunks: [], starts: new Column(), keys: new Column(), bytes: 0 },
      // Feedback edits leave the code as it was: an index of it that is whole is kept.
      code: this.code ?? { offsets: new Column(true), lengths: new Column(), keys: new Column() },
      textAfter: 0,
      codeAfter: this.code ? Number.MAX_SAFE_INTEGER : 0,
    });
    const texts = this.source.rows<[number, string | null, string | null]>(
      'SELECT k, task_description, human_feedback FROM examples WHERE k > ? ORDER BY k LIMIT ?',
      [b.textAfter, SLICE],
    );
    this.addTexts(b.text, texts);
    if (texts.length > 0) b.textAfter = texts[texts.length - 1]![0];
    // Codes are appended in the order of their keys, so reading by key (the primary key) reads by offset.
    const codes = this.source.rows<[number, number, number]>('SELECT k, off, len FROM code_refs WHERE k > ? ORDER BY k LIMIT ?', [b.codeAfter, SLICE]);
    for (const [k, offset, length] of codes) this.addCode(b.code, k, offset, length);
    if (codes.length > 0) b.codeAfter = codes[codes.length - 1]![0];
    if (texts.length === SLICE || codes.length === SLICE) return true;
    if (b.code !== this.code) sortByOffset(b.code);
    // Rows added while building were read by the slices (their keys and offsets come later): the indexes are whole.
    this.text = b.text;
    this.code = b.code;
    this.building = null;
    return false;
  }

  /** Finishes building the indexes now. */
  private build(): void {
    while (this.buildStep());
  }

  /** Appends texts as one chunk: each segment followed by a NUL byte, ASCII letters lowered in place. */
  private addTexts(index: TextIndex, rows: readonly (readonly [k: number, description: string | null, feedback: string | null])[]): void {
    const parts: string[] = [];
    let at = index.bytes;
    for (const [k, description, feedback] of rows) {
      if (k > this.topKey) this.topKey = k;
      for (const value of [description, feedback]) {
        // An empty field matches nothing a search can ask for (the filter ignores an empty text).
        if (!value) continue;
        index.starts.push(at);
        index.keys.push(k);
        parts.push(value);
        at += Buffer.byteLength(value, 'utf8') + 1;
      }
    }
    if (parts.length === 0) return;
    const chunk = Buffer.from(`${parts.join('\0')}\0`, 'utf8');
    // Bytes of multi-byte characters are all 0x80 or above: only ASCII A–Z change.
    for (let i = 0; i < chunk.length; i++) if (chunk[i]! >= 0x41 && chunk[i]! <= 0x5a) chunk[i] = chunk[i]! | 0x20;
    index.chunks.push(chunk);
    index.bytes += chunk.length;
  }

  private addCode(index: CodeIndex, k: number, offset: number, length: number): void {
    if (k > this.topKey) this.topKey = k;
    index.offsets.push(offset);
    index.lengths.push(length);
    index.keys.push(k);
  }
}

/** The code search needs ascending offsets; they are unless a file was pieced together by hand. */
function sortByOffset(index: CodeIndex): void {
  const n = index.keys.length;
  const offsets = index.offsets.values;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = offsets[i - 1]! <= offsets[i]!;
  if (sorted) return;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => offsets[a]! - offsets[b]!);
  for (const column of [index.offsets, index.lengths, index.keys]) {
    const copy = column.values.slice(0, n);
    order.forEach((from, to) => (column.values[to] = copy[from]!));
  }
}
