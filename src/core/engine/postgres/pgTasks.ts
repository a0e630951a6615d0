// Learning tasks on PostgreSQL: each task a JSON row validated with the shared
// schema when read, with the owner that runs it (a `serve` process, an editor),
// its numbered log, the knowledge entries it produced. Several owners share one
// database; each restores only its own tasks.
import type { Pool } from 'pg';
import { knowledgeEntrySchema, loggedTaskEventSchema, taskSchema, type KnowledgeEntry, type LoggedTaskEvent, type Task, type TaskEvent } from '../../../shared/tasks';
import { likePattern } from './pgFigures';
import { ANNOUNCE_CHANGE } from './schema';

/** JSON from a row, or undefined when it does not parse (a row written by hand, a damaged one). */
function parsed(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

export async function pgSaveTask(pool: Pool, task: Task, owner: string): Promise<void> {
  await pool.query(
    `INSERT INTO tasks (id, seq, state, data, owner) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, state = excluded.state, data = excluded.data, owner = excluded.owner`,
    [task.id, task.seq, task.state, JSON.stringify(task), owner],
  );
  await pool.query(ANNOUNCE_CHANGE, ['tasks']);
}

export async function pgForgetTask(pool: Pool, id: string): Promise<void> {
  // One statement, so a task is never left without its log or a log without its task.
  await pool.query('WITH gone AS (DELETE FROM task_events WHERE task_id = $1) DELETE FROM tasks WHERE id = $1', [id]);
  await pool.query(ANNOUNCE_CHANGE, ['tasks']);
}

export async function pgTasks(pool: Pool, owner?: string): Promise<{ tasks: Task[]; unreadable: number }> {
  // Tasks no one owns (copied from a folder) are claimed by the first owner that asks, atomically.
  if (owner !== undefined) await pool.query("UPDATE tasks SET owner = $1 WHERE owner = ''", [owner]);
  const { rows } = await pool.query<{ data: string }>(
    owner === undefined ? 'SELECT data FROM tasks ORDER BY seq, id' : 'SELECT data FROM tasks WHERE owner = $1 ORDER BY seq, id',
    owner === undefined ? [] : [owner],
  );
  const tasks: Task[] = [];
  let unreadable = 0;
  for (const { data } of rows) {
    const task = taskSchema.safeParse(parsed(data));
    if (task.success) tasks.push(task.data);
    else unreadable++;
  }
  return { tasks, unreadable };
}

/** The tasks of every owner but `owner`, the newest first, with who runs each; rows that no longer validate are left out. */
export async function pgOthersTasks(pool: Pool, owner: string, limit: number): Promise<{ task: Task; owner: string }[]> {
  const { rows } = await pool.query<{ data: string; owner: string }>('SELECT data, owner FROM tasks WHERE owner <> $1 ORDER BY seq DESC, id LIMIT $2', [owner, limit]);
  return rows.flatMap((r) => {
    const task = taskSchema.safeParse(parsed(r.data));
    return task.success ? [{ task: task.data, owner: r.owner || 'no one (copied in)' }] : [];
  });
}

export async function pgAppendTaskEvents(pool: Pool, taskId: string, events: readonly TaskEvent[]): Promise<number> {
  // Numbered on from the log's end in the one statement that writes them.
  const { rows } = await pool.query<{ first: string }>(
    `WITH base AS (SELECT coalesce(max(n), 0) AS n FROM task_events WHERE task_id = $1),
          added AS (INSERT INTO task_events (task_id, n, data) SELECT $1, base.n + e.i, e.d FROM base, unnest($2::text[]) WITH ORDINALITY AS e(d, i) RETURNING n)
     SELECT coalesce((SELECT min(n) FROM added), (SELECT n + 1 FROM base)) AS first`,
    [taskId, events.map((e) => JSON.stringify(e))],
  );
  return Number(rows[0]!.first);
}

export async function pgTaskEvents(pool: Pool, taskId: string, limit = 500): Promise<LoggedTaskEvent[]> {
  const { rows } = await pool.query<{ n: string; data: string }>('SELECT n, data FROM (SELECT n, data FROM task_events WHERE task_id = $1 ORDER BY n DESC LIMIT $2) s ORDER BY n', [
    taskId,
    limit,
  ]);
  return rows.flatMap(({ n, data }) => {
    const event = loggedTaskEventSchema.safeParse({ ...(parsed(data) as object), seq: Number(n) });
    return event.success ? [event.data] : [];
  });
}

export async function pgAddKnowledge(pool: Pool, entry: KnowledgeEntry): Promise<void> {
  await pool.query(
    `INSERT INTO knowledge (id, technology, created_at, task_id, data) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET technology = excluded.technology, created_at = excluded.created_at, task_id = excluded.task_id, data = excluded.data`,
    [entry.id, entry.technology, entry.createdAt, entry.taskId, JSON.stringify(entry)],
  );
}

export async function pgKnowledge(pool: Pool, options: { technology?: string | null; search?: string | null; limit?: number } = {}): Promise<KnowledgeEntry[]> {
  const where = ['true'];
  const values: (string | number)[] = [];
  if (options.technology) {
    values.push(options.technology);
    where.push(`technology = $${values.length}`);
  }
  if (options.search && options.search.trim()) {
    // LIKE's rules, ASCII case ignored, as on the embedded engine.
    values.push(likePattern(options.search.trim()));
    where.push(`(lower(technology COLLATE "C") LIKE $${values.length} OR lower(data COLLATE "C") LIKE $${values.length})`);
  }
  values.push(options.limit ?? 200);
  const { rows } = await pool.query<{ data: string }>(`SELECT data FROM knowledge WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id LIMIT $${values.length}`, values);
  return rows.flatMap(({ data }) => {
    const entry = knowledgeEntrySchema.safeParse(parsed(data));
    return entry.success ? [entry.data] : [];
  });
}
