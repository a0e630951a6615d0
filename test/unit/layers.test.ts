import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

// The core's areas (src/core/<area>) import each other in one direction only:
// model (types and pure values) at the bottom, then storage, the maths
// (analytics), the SQL (queries), the engines, and the orchestration above
// (ingest, tasks, export, git, alerts). A cycle between areas is what this
// refuses, naming the files that make it.

const core = join(__dirname, '..', '..', 'src', 'core');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

const areaOf = (file: string) => relative(core, file).split(sep)[0]!;

/** Area → area it imports → the files that do (importer → imported). */
function areaGraph(): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  for (const file of sources(core)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\b[^;]*?from\s+'(\.[^']+)'/gm)) {
      const target = normalize(join(dirname(file), m[1]!));
      if (!target.startsWith(core + sep)) continue;
      const [from, to] = [areaOf(file), areaOf(target)];
      if (from === to) continue;
      const edges = graph.get(from) ?? new Map<string, string[]>();
      graph.set(from, edges);
      edges.set(to, [...(edges.get(to) ?? []), `${relative(core, file)} → ${relative(core, target)}`]);
    }
  }
  return graph;
}

/** A cycle of areas, as the list of imports that close it, or null. */
function findCycle(graph: Map<string, Map<string, string[]>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (area: string): string[] | null => {
    state.set(area, 'open');
    path.push(area);
    for (const [next, files] of graph.get(area) ?? []) {
      if (state.get(next) === 'open') {
        const loop = [...path.slice(path.indexOf(next)), next];
        return loop.slice(1).map((to, i) => `${loop[i]} → ${to} (${(graph.get(loop[i]!)?.get(to) ?? files)[0]})`);
      }
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    path.pop();
    state.set(area, 'done');
    return null;
  };
  for (const area of graph.keys()) {
    if (!state.has(area)) {
      const found = visit(area);
      if (found) return found;
    }
  }
  return null;
}

describe('the direction of imports inside the core', () => {
  it('no two areas of src/core import each other, directly or around a loop', () => {
    const graph = areaGraph();
    assert.ok(graph.size >= 8, `${graph.size} areas import another`);
    assert.equal(findCycle(graph)?.join('\n'), undefined);
  });

  it('the model imports nothing else of the core, and storage nothing above it', () => {
    const graph = areaGraph();
    assert.deepEqual([...(graph.get('model')?.keys() ?? [])], []);
    assert.deepEqual([...(graph.get('storage')?.keys() ?? [])].filter((a) => a !== 'model'), []);
  });

  it('finds a loop when one is there (the check itself)', () => {
    const graph = new Map([
      ['a', new Map([['b', ['a/x.ts → b/y.ts']]])],
      ['b', new Map([['a', ['b/y.ts → a/z.ts']]])],
    ]);
    assert.deepEqual(findCycle(graph), ['a → b (a/x.ts → b/y.ts)', 'b → a (b/y.ts → a/z.ts)']);
  });
});
