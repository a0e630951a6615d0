// Data shown in VS Code's own surfaces is text, never markup. A notification
// turns `[label](command:…)` into a live link, a Markdown tooltip turns bare
// URLs into links and `**x**` into bold, a quick pick draws `$(icon)`, and a
// bidirectional override makes `gnp.exe` look like `exe.png`. Every tag,
// model, id, description, file name and learner message passes through one of
// these before it reaches such a surface.

/** Characters that reorder the text around them (overrides, embeddings, isolates, marks). */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Shows every bidirectional control character as its escape (`\u202E`), so it is seen instead of obeyed. */
export function showControls(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/** A zero-width space: it breaks a pattern without changing what a person reads. */
const BREAK = '\u200B';

/**
 * For surfaces that take a plain string but find links or icons in it
 * (notifications, progress titles, quick picks, the status bar): link syntax
 * `](` and icon syntax `$(` are broken with a zero-width space, control
 * characters shown.
 */
export function inertText(text: string): string {
  return showControls(text).replace(/\]\(/g, `]${BREAK}(`).replace(/\$\(/g, `$${BREAK}(`);
}

/**
 * For a Markdown surface (a tooltip): every ASCII punctuation character is
 * backslash-escaped, which CommonMark allows for all of them, so no link,
 * autolink (`https\://`, `www\.`, `a\@b`), emphasis, HTML or icon can form.
 */
export function markdownText(text: string): string {
  return showControls(text).replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}
