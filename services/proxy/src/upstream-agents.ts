import http from 'node:http';
import https from 'node:https';

/**
 * How much an upstream socket buffers before a write says "wait". Node's
 * 16 KiB default is below one 64 KiB read from the client, so every chunk
 * of a pushed layer paused the client's request and resumed it on 'drain';
 * at 1 MiB a body flows through, with back-pressure only when the upstream
 * really falls behind (and at most this much held per upload).
 */
export const upstreamWriteBufferBytes = 1024 * 1024;

/**
 * One keep-alive agent per upstream, so a pull of many blobs does not pay a
 * TCP handshake per request. Free sockets are reused most-recent-first and
 * dropped before the upstream's own keep-alive timeout (Node servers close
 * idle sockets after 5 s and say so in `Keep-Alive: timeout=5`, which Node's
 * agent also honours), so a request is rarely written to a socket the
 * upstream is closing.
 */
export function upstreamAgent(url: string): http.Agent {
  // The agent hands its options to net.connect, whose socket takes the write mark.
  const options: http.AgentOptions & { writableHighWaterMark: number } = {
    keepAlive: true,
    keepAliveMsecs: 1000,
    maxFreeSockets: 256,
    scheduling: 'lifo',
    timeout: 4000,
    writableHighWaterMark: upstreamWriteBufferBytes,
  };
  return new URL(url).protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
}
