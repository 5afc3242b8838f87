import { connect, Socket } from 'node:net';

/** A request sent over a raw socket in parts: its head and first body bytes now, the rest when the test says. */
export interface OpenRequest {
  socket: Socket;
  /** Sends the remaining bytes and answers the status of the reply (0 when the connection closed without one). */
  rest(bytes: Buffer): Promise<number>;
}

/** Sends a request's head and the first part of its body to `url`'s port on 127.0.0.1. */
export async function openRequest(url: string, head: string, first: Buffer): Promise<OpenRequest> {
  const port = Number(new URL(url).port);
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
  let answer = '';
  const status = new Promise<number>((resolve) => {
    socket.on('data', (data: Buffer) => {
      answer += data.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (match) resolve(Number(match[1]));
    });
    socket.on('close', () => resolve(0));
  });
  socket.write(head);
  socket.write(first);
  return {
    socket,
    rest: async (bytes) => {
      socket.write(bytes);
      const code = await status;
      socket.destroy();
      return code;
    },
  };
}
