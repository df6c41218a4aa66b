import { connect, createServer, type Socket } from 'node:net';

/**
 * A port on 127.0.0.1 that refuses connections until `release()`: the local port of a
 * connection this process holds open. Nothing can listen on it meanwhile (binding it fails with
 * EADDRINUSE), so, unlike a port probed free and closed, no other process can take it between
 * the probe and its use and answer in its place.
 */
export async function refusedPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const accepted: Socket[] = [];
  const server = createServer((socket) => void accepted.push(socket.on('error', () => undefined)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: serverPort } = server.address() as { port: number };
  const holder = connect({ host: '127.0.0.1', port: serverPort }).on('error', () => undefined);
  await new Promise<void>((resolve) => holder.once('connect', resolve));
  return {
    port: holder.localPort!,
    release: () =>
      new Promise<void>((resolve) => {
        holder.destroy();
        for (const socket of accepted) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
