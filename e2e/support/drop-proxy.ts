import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface DropProxy {
  url: string;
  /** Cuts every open connection (the live stream included) and refuses new ones until `restore()`. */
  drop(): void;
  restore(): void;
  close(): Promise<void>;
}

/**
 * A TCP pass-through in front of the app: the browser talks to the app through it, so the test can
 * cut the network under an open EventSource the way a Wi-Fi drop does, and let the browser's own
 * reconnect (with Last-Event-ID) run once it is restored.
 */
export async function startDropProxy(targetPort: number): Promise<DropProxy> {
  const sockets = new Set<Socket>();
  let down = false;
  const server = createServer((client) => {
    if (down) return void client.destroy();
    const upstream = connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
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
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
