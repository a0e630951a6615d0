import * as vscode from 'vscode';
import { inertText } from '../../../shared/plainText';
import { showWarning } from '../../notify';
import { z } from 'zod';
import type { Depth } from '../../../shared/analytics';
import { depthSchema } from '../../../shared/analytics';
import type { LearnerKind, Priority } from '../../../shared/tasks';
import { learnerKindSchema, prioritySchema, taskRequestSchema, technologySchema } from '../../../shared/tasks';
import type { Container } from '../../container';

/** What a caller (the panel, a recommendation, a test) may pass; anything missing is asked for. */
const argsSchema = z
  .object({
    technology: z.string().trim().min(1).max(200).optional(),
    depth: depthSchema.optional(),
    priority: prioritySchema.optional(),
    learner: learnerKindSchema.optional(),
  })
  .catch({});

async function pickTechnology(container: Container, title: string): Promise<string | undefined> {
  const known = await container.data.request('distinct', { field: 'tag', prefix: '', limit: 200 }).catch(() => []);
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { value: string }>();
  pick.title = title;
  pick.placeholder = 'A technology (tag) the agent works with, or type a new one';
  const base = known.map((k) => ({ label: inertText(k.value), value: k.value, description: `${k.count.toLocaleString()} examples` }));
  pick.items = base;
  pick.onDidChangeValue((v) => {
    const typed = v.trim();
    pick.items = typed && !known.some((k) => k.value === typed) ? [...base, { label: inertText(typed), value: typed, description: 'new technology', alwaysShow: true }] : base;
  });
  return new Promise((resolve) => {
    pick.onDidAccept(() => {
      // A known technology typed in full wins over whichever item happens to be active; otherwise Enter takes the active item.
      const typed = pick.value.trim();
      const exact = known.find((k) => k.value === typed)?.value;
      resolve(exact ?? pick.activeItems[0]?.value ?? (typed || undefined));
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

async function pickOne<T extends string>(title: string, items: { value: T; label: string; detail: string }[]): Promise<T | undefined> {
  const picked = await vscode.window.showQuickPick(
    items.map((i) => ({ ...i })),
    { title, ignoreFocusOut: true },
  );
  return picked?.value;
}

/** Start Learning Task: asks for what is missing, queues the task and returns its id at once. */
export async function startLearningTask(container: Container, raw?: unknown): Promise<string | undefined> {
  const args = argsSchema.parse(raw ?? {});
  // The steps this run will ask, numbered as asked: what the arguments give and a learner with no choice are skipped.
  const external = container.tasks.externalStatus();
  const asked = [!args.technology && 'technology', !args.depth && 'depth', !args.priority && 'priority', !args.learner && external.available && 'learner'].filter(
    (x): x is string => typeof x === 'string',
  );
  const title = (step: string) => `Start Learning Task (${asked.indexOf(step) + 1}/${asked.length}): ${step}`;
  const technology = args.technology ?? (await pickTechnology(container, title('technology')));
  if (!technology) return undefined;
  const named = technologySchema.safeParse(technology);
  if (!named.success) {
    void showWarning(`Learning Viewer: ${named.error.issues[0]?.message ?? 'not a technology name'}.`);
    return undefined;
  }
  const depth =
    args.depth ??
    (await pickOne<Depth>(title('depth'), [
      { value: 'quick', label: 'Quick', detail: 'The last 7 days' },
      { value: 'standard', label: 'Standard', detail: 'The last 30 days' },
      { value: 'deep', label: 'Deep', detail: 'Everything stored, most thorough' },
    ]));
  if (!depth) return undefined;
  const priority =
    args.priority ??
    (await pickOne<Priority>(title('priority'), [
      { value: 'normal', label: 'Normal', detail: 'In turn' },
      { value: 'high', label: 'High', detail: 'Before every normal and low task waiting' },
      { value: 'low', label: 'Low', detail: 'When nothing else waits' },
    ]));
  if (!priority) return undefined;
  let learner: LearnerKind | undefined = args.learner;
  if (!learner) {
    learner = external.available
      ? await pickOne<LearnerKind>(title('learner'), [
          { value: 'builtin', label: 'Built-in', detail: 'Distils what the stored examples say; nothing to install' },
          { value: 'external', label: 'External', detail: 'The program in learningViewer.learner.command' },
        ])
      : 'builtin';
    if (!learner) return undefined;
  }
  const request = taskRequestSchema.parse({ technology, depth, priority, learner });
  try {
    const task = await container.tasks.start(request);
    // The panel, when open, shows the task just started on its Learning tab.
    await container.showTaskInPanel(task.id);
    return task.id;
  } catch (e) {
    void showWarning(`Learning Viewer: ${(e as Error).message}`);
    return undefined;
  }
}
