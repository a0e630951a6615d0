#!/usr/bin/env node
// An example external learner for Learning Viewer. It speaks the protocol on
// stdout, one JSON object per line:
//   {"event":"progress","progress":45,"message":"…"}
//   {"event":"example", …a KIMI learning example…}
//   {"event":"result","proficiency":0.82,"summary":"…"}
// Any other line is log text. Exit code 0 means completed.
//
// Usage: node example-learner.mjs <technology> <depth> [taskId] [--step-ms N] [--examples N]
// Configure it in settings.json:
//   "learningViewer.learner.command": ["node", "examples/learner/example-learner.mjs", "${technology}", "${depth}", "${taskId}"]
import { randomUUID } from 'node:crypto';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const [technology = 'general', depth = 'quick', taskId = randomUUID()] = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const stepMs = option('--step-ms', 200);
const count = option('--examples', { quick: 3, standard: 6, deep: 10 }[depth] ?? 3);

const say = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
  console.log('Received SIGTERM: stopping after this step.');
});

console.log(`Learning ${technology} (${depth}) for task ${taskId}`);
let successes = 0;
for (let i = 0; i < count; i++) {
  if (stopping) process.exit(130);
  await sleep(stepMs);
  const success = (i * 7 + technology.length) % 10 < 7;
  if (success) successes++;
  say({
    event: 'example',
    id: `${taskId}-${i}`,
    timestamp: new Date().toISOString(),
    session_id: `learner-${taskId}`,
    task_description: `Practise ${technology}: exercise ${i + 1} of ${count}`,
    code_context: `// exercise ${i + 1}\nfunction practise() { return ${JSON.stringify(technology)}; }`,
    success,
    metrics: { execution_time: 0.5 + i / 10, tests_passed: success ? 3 : 1 },
    tags: [technology],
    model_used: 'example-learner',
    tokens_consumed: 400 + 25 * i,
    human_feedback: null,
    learner: 'examples/learner/example-learner.mjs',
  });
  say({ event: 'progress', progress: Math.round(((i + 1) / count) * 100), message: `Exercise ${i + 1} of ${count}` });
}
say({ event: 'result', proficiency: Math.round((successes / count) * 100) / 100, summary: `${successes} of ${count} exercises on ${technology} passed.` });
