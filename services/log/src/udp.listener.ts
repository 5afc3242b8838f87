import { createSocket, Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { Collector } from './collector';
import { defaultMaxFrameBytes } from './tcp-framer';

/** Above this many queued bytes UDP messages are dropped: UDP has no way to slow a sender down. */
const dropAboveBytes = 256 * 1024 * 1024;

export interface UdpListener {
  port: number;
  close(): Promise<void>;
}

/** One datagram is one message (RFC 5426). */
export async function listenUdp(collector: Collector, host: string, port: number): Promise<UdpListener> {
  const socket: Socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
  socket.on('message', (data, rinfo) => {
    if (collector.store.backlog > dropAboveBytes) {
      collector.stats.dropped += 1;
      return;
    }
    const truncated = data.length > defaultMaxFrameBytes;
    collector.receive(truncated ? data.subarray(0, defaultMaxFrameBytes) : data, rinfo.address, truncated);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  // A bigger kernel buffer absorbs bursts while a batch is being written (Linux caps it at rmem_max).
  try {
    socket.setRecvBufferSize(8 * 1024 * 1024);
  } catch {
    /* keep the default */
  }
  socket.on('error', () => undefined);
  return {
    port: socket.address().port,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
