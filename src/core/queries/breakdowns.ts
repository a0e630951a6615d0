import type { LearningStore } from '../storage/learningStore';

export interface CountRow {
  total: number;
  successes: number;
}

/** Examples and successes per tag, most used first. Reads only the tag table's covering key. */
export function byTag(store: LearningStore): (CountRow & { tag: string })[] {
  return store
    .rows<[string, number, number]>(
      `SELECT t.name, c.total, c.successes FROM
         (SELECT tag_id, count(*) AS total, sum(success) AS successes FROM example_tags GROUP BY tag_id) c
       JOIN tags t ON t.tag_id = c.tag_id ORDER BY c.total DESC, t.name`,
    )
    .map(([tag, total, successes]) => ({ tag, total, successes }));
}

/** Examples, successes, tokens and time per model, most used first; examples without a model are left out. */
export function byModel(store: LearningStore): (CountRow & { model: string; tokens: number; avgExecutionTime: number | null })[] {
  return store
    .rows<[string, number, number, number | null, number | null]>(
      `SELECT m.name, c.total, c.successes, c.tokens, c.exec FROM
         (SELECT model_id, count(*) AS total, sum(success) AS successes, sum(tokens) AS tokens, avg(exec_time) AS exec
          FROM examples WHERE model_id IS NOT NULL GROUP BY model_id) c
       JOIN models m ON m.model_id = c.model_id ORDER BY c.total DESC, m.name`,
    )
    .map(([model, total, successes, tokens, exec]) => ({ model, total, successes, tokens: tokens ?? 0, avgExecutionTime: exec }));
}

/** Examples and successes per local day, oldest first, as YYYY-MM-DD. */
export function daily(store: LearningStore): (CountRow & { day: string })[] {
  return store
    .rows<[number, number, number]>('SELECT day, count(*), sum(success) FROM examples GROUP BY day ORDER BY day')
    .map(([day, total, successes]) => ({ day: new Date(day * 86_400_000).toISOString().slice(0, 10), total, successes }));
}
