// Team mode as a team uses it: this editor connects through the command (the
// password typed into the input box), a `serve` process and a second editor's
// data worker write to the same PostgreSQL database, and this editor's views hear
// of each within a second; a second window of the workspace opens on the team
// database by itself and its panel shows the serve's posts within a second. The server stops: the views say so and keep the last
// figures; it starts again: they recover. No password reaches a file or the log.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { DataClient } from '../../../src/extension/dataClient';
import { daysAgo } from '../../helpers/clock';
import { freshDatabase } from '../../helpers/postgres';
import { startServeWith, stopServe, type ServeProcess } from '../../helpers/serveProcess';
import { closeSecondWindow, openSecondWindow, screenshot, secondScreenshot, secondWebviewText, webviewText, workbenchShows, workbenchType } from './bridge';
import { api, untilData } from './extensionApi';
import { formatCount } from '../../../src/webview/format';

const run = promisify(execFile);

/** Every file under `dir` (that exists), for the search for a password. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) out.push(...filesUnder(path));
    else if (st.isFile() && st.size < 50 * 1024 * 1024) out.push(path);
  }
  return out;
}

/** The PostgreSQL cluster of LV_TEST_DATABASE_URL's port, for pg_ctlcluster (Debian's), or null when it cannot be driven here. */
async function cluster(port: string): Promise<{ stop: () => Promise<void>; start: () => Promise<void> } | null> {
  try {
    const { stdout } = await run('pg_lsclusters', ['--no-header']);
    const row = stdout
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .find((c) => c[2] === port);
    if (!row) return null;
    const [version, name] = row;
    return {
      stop: async () => void (await run('pg_ctlcluster', [version!, name!, 'stop', '-m', 'fast'])),
      start: async () => void (await run('pg_ctlcluster', [version!, name!, 'start'])),
    };
  } catch {
    return null;
  }
}

describe('team mode in a real VS Code, on a real PostgreSQL', function () {
  this.timeout(180_000);
  const base = process.env.LV_TEST_DATABASE_URL;
  let db: { url: string; drop: () => Promise<void> } | null = null;
  let serve: ServeProcess | null = null;
  let other: DataClient | null = null;
  let localExamples = -1;
  let secondOpen = false;

  before(async function () {
    if (!base) {
      if (process.env.CI) throw new Error('LV_TEST_DATABASE_URL is not set: CI must run team mode against PostgreSQL');
      return this.skip();
    }
    db = await freshDatabase(base);
  });

  after(async () => {
    // The second window goes first: it would otherwise switch back with this one and contend for this workspace's store.
    if (secondOpen) await closeSecondWindow();
    if (serve) await stopServe(serve);
    await other?.dispose();
    const { container } = await api();
    // Back to this workspace's own database for whatever runs next.
    await vscode.commands.executeCommand('learningViewer.useWorkspaceDatabase');
    await vscode.workspace.getConfiguration('learningViewer').update('database.url', undefined, vscode.ConfigurationTarget.Workspace);
    assert.equal(container.database, null);
    // This workspace's own data as it was, with its followed log read on; none of the team's examples in it.
    if (localExamples >= 0) assert.ok((await container.data.request('health', {})).examples >= localExamples, "this workspace's own examples are all there");
    assert.equal(await stored(['team-serve-0']), false, "the team's examples stay in the team database");
    await db?.drop();
  });

  /** Whether every one of these ids is in the data this editor shows. */
  async function stored(ids: string[]): Promise<boolean> {
    const { container } = await api();
    const found = await Promise.all(ids.map((id) => container.data.request('example', { id }).catch(() => null)));
    return found.every((e) => e !== null);
  }

  it('connects through the command, hears a serve process and a second editor within a second, says when the server is gone and recovers', async () => {
    const { container } = await api();
    localExamples = (await container.data.request('health', {})).examples;
    const full = new URL(db!.url);
    const password = decodeURIComponent(full.password);
    full.password = '';
    const url = full.toString();

    // A log this workspace follows (KIMI's), read into whichever database is open.
    const followedLog = join(process.env.LV_TEST_WORKSPACE!, 'team', 'learning_logs.jsonl');
    mkdirSync(join(process.env.LV_TEST_WORKSPACE!, 'team'), { recursive: true });
    writeFileSync(followedLog, `${JSON.stringify({ id: 'team-followed-0', timestamp: daysAgo(0, 8), success: true, tags: ['team_mode'] })}\n`);

    // Connect to Team Database…: the URL, the password, where to keep the URL.
    const connected = vscode.commands.executeCommand<boolean>('learningViewer.connectTeamDatabase');
    await workbenchShows('Connect to Team Database (1/3)');
    await workbenchType(url);
    await workbenchShows('Connect to Team Database (2/3)');
    await workbenchType(password);
    await workbenchShows('Connect to Team Database (3/3)');
    await workbenchType('Workspace settings');
    assert.equal(await connected, true, 'the command connected');
    const health = await container.data.request('health', {});
    assert.equal(health.place.engine, 'postgresql');
    assert.equal(health.connection?.state, 'connected');
    assert.ok(health.examples < localExamples || localExamples === 0, "a new team database: this workspace's examples are not copied into it unasked");
    assert.equal(vscode.workspace.getConfiguration('learningViewer').get('database.url'), url, 'the URL, without the password, in the workspace settings');
    await untilData(() => stored(['team-followed-0']));

    // The status bar and the panel name the place.
    await container.statusBar.update();
    assert.match((container.statusBar.item.tooltip as vscode.MarkdownString).value, /Data: Team database: .*\(connected\)/);
    assert.match(String(container.tree.view.description), /^Team database: /, "the Examples view's description names it");
    await vscode.commands.executeCommand('learningViewer.openDashboard');
    assert.match(await webviewText('header-place', 'Team database'), new RegExp(`Team database: .*/${full.pathname.slice(1)}`));

    // A serve process on the same database posts examples: this editor hears of them within a second.
    serve = await startServeWith(join(container.context.extensionPath, 'dist', 'cli.js'), ['--database', url, '--no-auth'], { ...process.env, PGPASSWORD: password });
    const records = Array.from({ length: 3 }, (_, i) => ({ id: `team-serve-${i}`, timestamp: daysAgo(0, 9, i), success: i !== 1, tags: ['team_mode'], model_used: 'kimi-team' }));
    const posted = Date.now();
    const answer = await fetch(`${serve.url}/api/examples/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(records) });
    assert.equal(answer.status, 201);
    await untilData(() => stored(records.map((r) => r.id)));
    const fromServe = Date.now() - posted;

    // A second editor (the data worker another window runs, on another machine) imports its log.
    const otherDir = mkdtempSync(join(tmpdir(), 'lv-other-editor-'));
    other = new DataClient(join(container.context.extensionPath, 'dist', 'worker.js'), {
      dataDir: join(otherDir, 'data'),
      wasmPath: join(container.context.extensionPath, 'dist', 'sql-wasm.wasm'),
      database: { url, password, machine: 'other-laptop', owner: 'a teammate (editor on other-laptop)' },
    });
    assert.equal((await other.opened).place.engine, 'postgresql');
    const log = join(otherDir, 'learning_logs.jsonl');
    writeFileSync(log, [0, 1].map((i) => JSON.stringify({ id: `team-editor-${i}`, timestamp: daysAgo(1, 10, i), success: true, tags: ['team_mode'] })).join('\n') + '\n');
    const imported = Date.now();
    assert.equal((await other.request('importFiles', { paths: [log], importId: 'other-1' }, 0)).added, 2);
    await untilData(() => stored(['team-editor-0', 'team-editor-1']));
    const fromEditor = Date.now() - imported;
    console.log(`team mode: a serve process's examples reached this editor's views in ${fromServe} ms, a second editor's import in ${fromEditor} ms`);
    assert.ok(fromServe < 1000 && fromEditor < 1000, `heard within 1 s: ${fromServe} ms, ${fromEditor} ms`);
    // A task the second editor runs shows in this editor's Tasks view, with who runs it; cancelling it here says where it can be.
    const theirs = { id: 'task-from-other', seq: 1, technology: 'graphql', depth: 'quick', priority: 'normal', learner: 'builtin', state: 'running', progress: 40, message: 'reading', createdAt: Date.now(), startedAt: Date.now(), endedAt: null, attempts: 1, result: null } as const;
    const listed = new Promise<void>((resolve) => {
      const check = () => container.tasks.elsewhere.some((t) => t.task.id === theirs.id);
      const sub = container.tasks.onDidChange(() => {
        if (!check()) return;
        sub.dispose();
        resolve();
      });
    });
    await other.request('saveTask', { task: theirs });
    await listed;
    const groups = container.tasksTree.getChildren();
    const elsewhere = groups.find((g) => g.kind === 'group' && g.key === 'elsewhere');
    assert.ok(elsewhere, 'a group of the tasks started elsewhere');
    const [node] = container.tasksTree.getChildren(elsewhere);
    const item = container.tasksTree.getTreeItem(node!);
    assert.match(String(item.description), /^a teammate \(editor on other-laptop\) · 40% · reading$/);
    assert.equal(item.contextValue, 'task.elsewhere', 'no Cancel or Retry on another editor\'s task');
    assert.equal(await vscode.commands.executeCommand('learningViewer.cancelTask', theirs.id), false, 'cancelled only where it runs');

    // A second window on this workspace (its own extension host) opens on the team database by itself: the URL
    // is in the workspace settings, the password in this browser's SecretStorage. It hears this editor's serve within a second.
    await openSecondWindow();
    secondOpen = true;
    await secondWebviewText('header-place', 'Team database', 60_000);
    const shown = (await container.data.request('health', {})).examples;
    await secondWebviewText('examples-stored', `${formatCount(shown)} examples stored`, 30_000);
    const more = [0, 1].map((i) => ({ id: `team-serve-more-${i}`, timestamp: daysAgo(0, 11, i), success: true, tags: ['team_mode'], model_used: 'kimi-team' }));
    const sent = Date.now();
    assert.equal((await fetch(`${serve.url}/api/examples/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(more) })).status, 201);
    await secondWebviewText('examples-stored', `${formatCount(shown + 2)} examples stored`);
    const inSecondWindow = Date.now() - sent;
    console.log(`team mode: a serve process's examples reached the second window's panel in ${inSecondWindow} ms (the bridge's own round trip included)`);
    // Heard, not polled: the slow poll that covers a lost notification comes every 15 s. The aim is a second, and
    // it is logged above (303–529 ms in CI); the bound leaves room for a loaded two-core machine under faketime,
    // where it once took 1,122 ms with the harness's own round trips.
    assert.ok(inSecondWindow < 2500, `the second window's panel showed them ${inSecondWindow} ms after the post`);
    await secondScreenshot('team-second-window');
    await closeSecondWindow();
    secondOpen = false;

    const teamCount = (await container.data.request('health', {})).examples;
    await webviewText('examples-stored', `${formatCount(teamCount)} examples stored`);
    await screenshot('team-connected');

    // The server stops: the views say so and keep the last figures; a feedback edit is refused in words.
    const pg = await cluster(full.port || '5432');
    const stopped = pg ? await pg.stop().then(() => true, (e: Error) => (console.log(`team mode: pg_ctlcluster stop: ${e.message}`), false)) : false;
    if (pg && stopped) {
      try {
        await untilData(async () => (await container.data.request('health', {})).connection?.state !== 'connected');
        await container.statusBar.update();
        assert.match(container.statusBar.item.text, /^\$\(debug-disconnect\)/, 'the status bar marks its figures as stale');
        assert.match((container.statusBar.item.tooltip as vscode.MarkdownString).value, /(unreachable|reconnecting) since/);
        await webviewText('stale-banner', 'stale');
        await webviewText('examples-stored', `${formatCount(teamCount)} examples stored`);
        await screenshot('team-unreachable');
        await assert.rejects(container.data.request('setFeedback', { id: 'team-serve-0', feedback: 'made while the server was down' }), /not saved: the team database .* is unreachable/);
        // KIMI goes on writing meanwhile: the line waits in the followed log.
        appendFileSync(followedLog, `${JSON.stringify({ id: 'team-during-outage', timestamp: daysAgo(0, 12), success: true, tags: ['team_mode'] })}\n`);
      } finally {
        await pg.start();
      }
      await vscode.commands.executeCommand('learningViewer.retryTeamDatabase');
      await untilData(async () => (await container.data.request('health', {}).catch(() => null))?.connection?.state === 'connected');
      // Back: the follower goes on from its committed offset, and the line written meanwhile arrives.
      await untilData(() => stored(['team-during-outage']));
      assert.deepEqual(await container.data.request('setFeedback', { id: 'team-serve-0', feedback: 'after the server came back' }), { found: true });
    } else {
      console.log('team mode: the PostgreSQL cluster cannot be stopped from here (no pg_ctlcluster for its port, or no right to): the unreachable state is covered by the unit tests only');
    }

    // Moving in: this workspace's data into the team database, with nothing added twice when run again.
    const before = (await container.data.request('health', {})).examples;
    const first = (await vscode.commands.executeCommand('learningViewer.copyWorkspaceDataToTeam', true)) as { added: number; duplicates: number; cancelled: boolean };
    assert.equal(first.cancelled, false);
    assert.equal((await container.data.request('health', {})).examples, before + first.added);
    const again = (await vscode.commands.executeCommand('learningViewer.copyWorkspaceDataToTeam', true)) as { added: number; duplicates: number };
    assert.deepEqual(again, { added: 0, duplicates: first.added + first.duplicates, cancelled: false }, 'a second copy adds nothing');
    console.log(`team mode: copied this workspace's data in: ${first.added} added, ${first.duplicates} already there`);

    // No password in the settings, the log, or any file under the storage folders.
    const files = [
      ...filesUnder(process.env.LV_TEST_USER_DATA ?? ''),
      ...filesUnder(process.env.LV_TEST_WORKSPACE ? join(process.env.LV_TEST_WORKSPACE, '.vscode') : ''),
      ...filesUnder(container.context.storageUri?.fsPath ?? ''),
      ...filesUnder(container.context.globalStorageUri.fsPath),
    ];
    assert.ok(files.some((f) => f.endsWith('settings.json')), 'the settings files are among those searched');
    const holding = files.filter((f) => readFileSync(f).includes(password));
    // VS Code's own secret store keeps it encrypted, never in the clear.
    assert.deepEqual(holding, [], 'no file holds the password in the clear');
  });
});
