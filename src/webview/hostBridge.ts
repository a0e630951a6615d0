import type { HostToWebview, PanelPersistedState, WebviewToHost } from '../shared/dashboardProtocol';
import { hostToWebviewSchema, panelPersistedStateSchema, webviewToHostSchema } from '../shared/dashboardProtocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

/** Sends a message to the host, checked against the shared protocol first. */
export function send(message: WebviewToHost): void {
  api.postMessage(webviewToHostSchema.parse(message));
}

/** Calls `handler` with every valid message from the host; invalid ones are dropped and logged. */
export function onHostMessage(handler: (message: HostToWebview) => void): () => void {
  const listener = (event: MessageEvent) => {
    const parsed = hostToWebviewSchema.safeParse(event.data);
    if (!parsed.success) {
      console.warn('Learning Viewer: dropped an invalid message from the host', parsed.error.issues[0]?.message);
      return;
    }
    handler(parsed.data);
  };
  window.addEventListener('message', listener);
  return () => window.removeEventListener('message', listener);
}

export function loadPersisted(): PanelPersistedState {
  const parsed = panelPersistedStateSchema.safeParse(api.getState() ?? {});
  return parsed.success ? parsed.data : panelPersistedStateSchema.parse({});
}

export function savePersisted(state: PanelPersistedState): void {
  api.setState(state);
}
