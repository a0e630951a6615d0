/** Reads a VS Code theme colour from the page, with a fallback for browsers outside VS Code. */
export function themeColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(name).trim();
  return value || fallback;
}

/** Calls `onChange` when VS Code switches theme (it changes the body's class). */
export function onThemeChange(onChange: () => void): () => void {
  const observer = new MutationObserver(() => onChange());
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  return () => observer.disconnect();
}
