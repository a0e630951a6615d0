/** Guesses a language for an untitled document from the code itself. */
export function guessLanguage(code: string): string {
  if (/^\s*(def |class \w+.*:|import \w+|from \w+ import)/m.test(code)) return 'python';
  if (/^\s*(fn |let mut |use \w+::|impl )/m.test(code)) return 'rust';
  if (/^\s*(func |package \w+)/m.test(code)) return 'go';
  if (/:\s*(string|number|boolean)\b|^\s*(interface|type) \w+/m.test(code)) return 'typescript';
  if (/^\s*(function |const |let |var |import .* from|export )|=>/m.test(code)) return 'javascript';
  if (/^\s*(public |private |class \w+ \{)/m.test(code)) return 'java';
  if (/^\s*#include/m.test(code)) return 'cpp';
  return 'plaintext';
}
