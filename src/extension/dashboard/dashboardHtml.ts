import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/**
 * The panel's page: no inline script or handler, scripts only by nonce,
 * styles and images only from the extension (`cspSource`).
 */
export function dashboardHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="lv-nonce" content="${nonce}">
<title>Learning Viewer</title>
</head>
<body>
<lv-app></lv-app>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
