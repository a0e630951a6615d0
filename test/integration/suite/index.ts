// Entry the extension host loads (`extensionTestsPath`): runs the suites with mocha.
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  // Give the bundled suites mocha's globals, then load them.
  mocha.suite.emit('pre-require', globalThis, 'integration', mocha);
  // LV_INTEGRATION_GREP=team runs only the matching tests (and the activation).
  if (process.env.LV_INTEGRATION_GREP) mocha.grep(new RegExp(`${process.env.LV_INTEGRATION_GREP}|activates$`, 'i'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the globals exist, on purpose
  require('./foundation.test');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
  require('./treeStatusExport.test');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
  require('./panel.test');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
  require('./layout.test');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
  require('./analytics.test');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above; before the backup suite sets a retention period, whose cutoff the samples' dates predate
  require('./agentSessions.test');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
  require('./tasks.test');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
  require('./hostile.test');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
  require('./api.test');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
  require('./backup.test');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
  require('./alerts.test');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
  require('./git.test');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
  require('./delete.test');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above; last: it switches the data to a team database and back
  require('./team.test');
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const passed = runner.stats?.passes ?? 0;
      console.log(`integration: ${passed} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} integration tests failed`));
      else resolve();
    });
  });
}
