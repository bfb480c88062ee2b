import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface LatencyProxy {
  port: number;
  /** Every chunk, in either direction, is held this long before it is passed on (order kept). */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

/** A TCP forwarder on 127.0.0.1 that adds latency both ways: a slow database for the app behind it. */
export async function startLatencyProxy(target: { host: string; port: number }): Promise<LatencyProxy> {
  let delay = 0;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const relay = (from: Socket, to: Socket) => {
    from.on('data', (chunk: Buffer) => {
      if (delay <= 0) {
        to.write(chunk);
        return;
      }
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk);
      }, delay);
    });
  };
  const server = createServer((client) => {
    track(client);
    const upstream = connect(target.port, target.host);
    track(upstream);
    relay(client, upstream);
    relay(upstream, client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    setDelay: (ms) => {
      delay = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        sockets.forEach((s) => s.destroy());
      }),
  };
}
