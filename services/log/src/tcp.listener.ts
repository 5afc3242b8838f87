import { createServer, Socket } from 'node:net';
import { Collector } from './collector';
import { TcpFramer } from './tcp-framer';

export interface TcpListener {
  port: number;
  close(): Promise<void>;
}

const maxConnections = 4096;

/**
 * Syslog over TCP (RFC 6587). Each connection has its own framer; when the
 * disk falls behind, connections are paused until the queue drains, so TCP
 * back-pressure reaches the senders instead of memory filling up.
 */
export async function listenTcp(collector: Collector, host: string, port: number): Promise<TcpListener> {
  const sockets = new Map<Socket, TcpFramer>();
  const server = createServer((socket) => {
    const peer = socket.remoteAddress ?? 'unknown';
    const framer = new TcpFramer((frame, truncated) => collector.receive(frame, peer, truncated));
    sockets.set(socket, framer);
    socket.on('data', (chunk) => {
      framer.push(chunk);
      if (collector.store.backlogged && !socket.isPaused()) {
        socket.pause();
        void collector.store.whenDrained().then(() => socket.resume());
      }
    });
    socket.on('end', () => {
      framer.end();
      socket.end();
    });
    socket.on('error', () => undefined); // resets are normal for syslog senders
    socket.on('close', () => sockets.delete(socket));
  });
  server.maxConnections = maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', () => undefined);
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Stopping: what a sender already delivered is still filed.
        for (const [socket, framer] of sockets) {
          framer.end();
          socket.destroy();
        }
      }),
  };
}
