import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface DropProxy {
  url: string;
  /** Cuts every open connection (the live stream included) and refuses new ones until `restore()`. */
  drop(): void;
  /** Freezes every open connection without closing it (no bytes, no error); new ones pass normally. */
  stall(): void;
  restore(): void;
  close(): Promise<void>;
}

/**
 * A TCP pass-through in front of the app: the browser talks to the app through it, so the test can
 * cut the network under an open stream the way a Wi-Fi drop does, and let the page's reconnect (with
 * Last-Event-ID) run once it is restored. `stall()` instead freezes the open connections without
 * closing them: a socket that died while the laptop slept, which no error ever reports.
 */
export async function startDropProxy(targetPort: number): Promise<DropProxy> {
  const sockets = new Set<Socket>();
  const pairs = new Set<[Socket, Socket]>();
  let down = false;
  const server = createServer((client) => {
    if (down) return void client.destroy();
    const upstream = connect(targetPort, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    for (const s of pair) {
      sockets.add(s);
      // Either side going away takes the other with it (a stalled pair is no longer piped).
      s.on('close', () => {
        sockets.delete(s);
        pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      });
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    drop() {
      down = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      down = false;
    },
    stall() {
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
      pairs.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
