// The webview's only line to the extension: typed posts out, typed messages in, saved UI state.

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostBridge<Out, In, Saved> {
  post(message: Out): void;
  onMessage(listener: (message: In) => void): void;
  /** What setState saved before the view was hidden or reloaded, if anything. */
  saved(): Saved | undefined;
  save(state: Saved): void;
}

export function connectToHost<Out, In extends { type: string }, Saved>(): HostBridge<Out, In, Saved> {
  // acquireVsCodeApi may be called once per page load.
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    onMessage(listener) {
      window.addEventListener('message', (event: MessageEvent<unknown>) => {
        const data = event.data;
        // The host is the only sender; anything without a type is not ours.
        if (data && typeof data === 'object' && typeof (data as { type?: unknown }).type === 'string') listener(data as In);
      });
    },
    saved: () => (api.getState() as Saved | undefined) ?? undefined,
    save: (state) => api.setState(state),
  };
}
