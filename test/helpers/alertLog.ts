// A KIMI log in which one tag's success rate drops in the last week: what the
// alert suites check rules against, on either engine. Dates relative to now.
import { writeFileSync } from 'node:fs';
import { daysAgo } from './clock';

/** auth: 80% over the 28 days before the last week, 30% in it; css: steady. Dates relative to now. */
export function writeDropLog(file: string): void {
  const lines: string[] = [];
  let n = 0;
  const add = (day: number, tag: string, success: boolean) => lines.push(JSON.stringify({ id: `e${n++}`, timestamp: daysAgo(day, 10, n % 60), success, tags: [tag], model_used: 'M', tokens_consumed: 900 }));
  for (let day = 8; day <= 29; day++) for (let i = 0; i < 10; i++) add(day, 'auth', i < 8);
  for (let day = 1; day <= 5; day++) for (let i = 0; i < 10; i++) add(day, 'auth', i < 3);
  for (let day = 1; day <= 29; day++) for (let i = 0; i < 4; i++) add(day, 'css', i < 3);
  writeFileSync(file, `${lines.join('\n')}\n`);
}
