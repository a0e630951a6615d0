// The HTTP API as a user runs it inside VS Code: started by the command, a
// token from the command, examples posted by a client outside the editor, and
// the views showing them as they arrive.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { Node } from '../../../src/extension/examples/examplePages';
import { formatCount } from '../../../src/webview/format';
import { daysAgo } from '../../helpers/clock';
import { webviewText } from './bridge';
import { api, untilData } from './extensionApi';

type Group = Extract<Node, { kind: 'group' }>;

describe('the HTTP API in a real VS Code', () => {
  it('Start API Server, a token from Create API Token…, posted examples show in the status bar, the Examples view and the panel; Stop closes the port', async () => {
    const { container } = await api();
    const config = vscode.workspace.getConfiguration('learningViewer.api');
    // Any free port: the command answers with the one it got.
    await config.update('port', 0, vscode.ConfigurationTarget.Global);
    const url = (await vscode.commands.executeCommand('learningViewer.startApiServer')) as string;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const token = (await vscode.commands.executeCommand('learningViewer.createApiToken', 'ingest', 'integration')) as string;
    assert.equal(await vscode.env.clipboard.readText(), token, 'the token is copied');

    const before = (await container.data.request('health', {})).examples;
    const records = Array.from({ length: 3 }, (_, i) => ({ id: `from-api-${i}`, timestamp: daysAgo(0, 9, i), success: i !== 1, tags: ['api_integration'], model_used: 'kimi-http' }));
    const post = (body: unknown, auth = `Bearer ${token}`) => fetch(`${url}/api/examples/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify(body) });
    assert.equal((await post(records, '')).status, 401, 'tokens are required by default');
    const answer = await post(records);
    assert.equal(answer.status, 201);

    // The views hear of it as of a followed line.
    await untilData(async () => (await container.data.request('health', {})).examples === before + 3);
    await container.statusBar.update();
    const tooltip = (container.statusBar.item.tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, new RegExp(`API server: listening on \`${url.replace(/\./g, '\\.')}\` \\(tokens required\\)`));
    assert.match(tooltip, new RegExp(`${(before + 3).toLocaleString().replace(/\./g, '\\.')} examples stored`));
    await vscode.commands.executeCommand('learningViewer.groupExamplesBy', 'tag');
    const group = ((await container.tree.getChildren()) as Group[]).find((g) => g.key === 'api_integration');
    assert.ok(group, 'the Examples view has the posted tag');
    assert.equal(group.total, 3);
    await vscode.commands.executeCommand('learningViewer.groupExamplesBy', 'day');
    await vscode.commands.executeCommand('learningViewer.openDashboard');
    await webviewText('examples-stored', `${formatCount(before + 3)} examples stored`);

    // Learning tasks over HTTP are the command line's: here they say where to start them.
    const learn = await fetch(`${url}/api/nasa/tasks`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(learn.status, 403, 'an ingest token may not read tasks');

    assert.equal(await vscode.commands.executeCommand('learningViewer.stopApiServer'), true);
    await assert.rejects(fetch(`${url}/api/health`), 'the port is closed');
    await container.statusBar.update();
    assert.doesNotMatch((container.statusBar.item.tooltip as vscode.MarkdownString).value, /API server/);
    await config.update('port', undefined, vscode.ConfigurationTarget.Global);
  });
});
