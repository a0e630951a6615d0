// serve --retention-days: at start (and then once a day) the raw examples older
// than the period go on either engine, their per-day figures stay, and the log says so.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTempDir } from '../helpers/tempDir';
import { startServeWith, stopServe } from '../helpers/serveProcess';
import { daysAgo } from '../helpers/clock';
import { freshDatabase, postgresUrl } from '../helpers/postgres';
import { retentionCutoff } from '../../src/core/storage/retention';

const cli = join(__dirname, '..', '..', 'dist', 'cli.js');

for (const engine of ['embedded', 'postgresql'] as const) {
  describe(`serve --retention-days on the ${engine} engine`, function () {
    this.timeout(120_000);
    const tmp = useTempDir();
    const base = engine === 'postgresql' ? postgresUrl() : null;
    before(function () {
      if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
      if (engine === 'postgresql' && base === null) this.skip();
    });

    it('removes the examples older than the period when it starts, keeps their figures, and says so', async () => {
      const db = engine === 'postgresql' ? await freshDatabase(base!) : null;
      const target = db ? ['--database', db.url] : ['--db', join(tmp.path, 'db')];
      try {
        const log = join(tmp.path, 'log.jsonl');
        const lines = Array.from({ length: 60 }, (_, i) => ({ id: `r-${i}`, timestamp: daysAgo(i + 1), success: i % 3 !== 0, tags: ['auth'], human_feedback: i === 50 ? 'kept: a person wrote it' : null }));
        writeFileSync(log, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
        const imported = spawnSync(process.execPath, [cli, 'import', log, ...target], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });
        assert.equal(imported.status, 0, imported.stderr);
        const cutoff = retentionCutoff(30);
        const old = lines.filter((l) => Date.parse(l.timestamp) < cutoff && l.human_feedback === null).length;
        assert.ok(old > 20);
        const server = await startServeWith(cli, [...target, '--no-auth', '--retention-days', '30'], { ...process.env, DATABASE_URL: '' });
        try {
          // Said on standard error once the first prune is done.
          const said = await new Promise<string>((resolve) => {
            const look = () => {
              const m = /retention removed (\d+) examples[^\n]*/.exec(server.log());
              if (!m) return;
              server.child.stderr!.off('data', look);
              resolve(m[0]);
            };
            server.child.stderr!.on('data', look);
            look();
          });
          assert.match(said, new RegExp(`^retention removed ${old} examples dated before ${new Date(cutoff).toISOString().replace(/[.]/g, '\\.')} .*their per-day figures stay`));
          const headers = { host: new URL(server.url).host };
          const stats = (await (await fetch(`${server.url}/api/stats`, { headers })).json()) as { total_examples: number };
          assert.equal(stats.total_examples, 60, 'the figures still count every example');
          const list = (await (await fetch(`${server.url}/api/examples?limit=1000`, { headers })).json()) as { total: number; examples: { human_feedback: string | null }[] };
          assert.equal(list.total, 60 - old, 'the raw examples older than the period are gone');
          assert.ok(list.examples.some((e) => e.human_feedback === 'kept: a person wrote it'));
        } finally {
          await stopServe(server);
        }
      } finally {
        await db?.drop();
      }
    });
  });
}
