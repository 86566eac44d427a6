/**
 * A scripted stand-in for the stream endpoint: every fetch becomes a FakeRequest the test answers
 * by hand (open an event stream and push events, refuse with a status, fail the network), so the
 * live session can be driven through seams, drops and refusals deterministically.
 */
export class FakeRequest {
  readonly url: URL;
  readonly headers: Record<string, string>;
  aborted = false;
  private controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  private readonly encoder = new TextEncoder();

  constructor(
    input: string,
    init: RequestInit | undefined,
    private readonly resolve: (res: Response) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.url = new URL(input, 'http://app.test');
    this.headers = { ...(init?.headers as Record<string, string> | undefined) };
    init?.signal?.addEventListener('abort', () => {
      this.aborted = true;
      reject(new DOMException('The operation was aborted.', 'AbortError'));
    });
  }

  get path(): string {
    return this.url.pathname;
  }

  param(name: string): string | null {
    return this.url.searchParams.get(name);
  }

  /** 200 text/event-stream; then push with `event`, `comment`, `end`, `fail`. */
  open(): this {
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (this.controller = c) });
    this.resolve(new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }));
    return this;
  }

  send(text: string): this {
    if (!this.aborted) this.controller?.enqueue(this.encoder.encode(text));
    return this;
  }

  event(id: string, data: string): this {
    return this.send(`id: ${id}\ndata: ${data}\n\n`);
  }

  comment(text = 'keep-alive'): this {
    return this.send(`: ${text}\n\n`);
  }

  end(): void {
    if (!this.aborted) this.controller?.close();
  }

  /** The connection breaks mid-response. */
  fail(): void {
    if (!this.aborted) this.controller?.error(new TypeError('network error'));
  }

  refuse(status: number, body?: unknown, headers: Record<string, string> = {}): void {
    const json = body === undefined ? null : JSON.stringify(body);
    this.resolve(new Response(json, { status, headers: { 'Content-Type': 'application/json', ...headers } }));
  }

  json(body: unknown): void {
    this.refuse(200, body);
  }

  /** The request never reaches the server. */
  networkError(): void {
    this.reject(new TypeError('Failed to fetch'));
  }
}

export function fakeServer() {
  const requests: FakeRequest[] = [];
  const fetch = ((input: RequestInfo | URL, init?: RequestInit) =>
    new Promise<Response>((resolve, reject) => {
      requests.push(new FakeRequest(String(input), init, resolve, reject));
    })) as typeof globalThis.fetch;
  return {
    fetch,
    requests,
    last(): FakeRequest {
      const r = requests.at(-1);
      if (!r) throw new Error('no request was made');
      return r;
    },
    streams: () => requests.filter((r) => r.path === '/api/mcp/stream-news'),
  };
}
