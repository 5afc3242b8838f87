import http from 'node:http';
import https from 'node:https';

/**
 * One keep-alive agent per upstream, so a pull of many blobs does not pay a
 * TCP handshake per request. Free sockets are reused most-recent-first and
 * dropped before the upstream's own keep-alive timeout (Node servers close
 * idle sockets after 5 s and say so in `Keep-Alive: timeout=5`, which Node's
 * agent also honours), so a request is rarely written to a socket the
 * upstream is closing.
 */
export function upstreamAgent(url: string): http.Agent {
  const options: http.AgentOptions = {
    keepAlive: true,
    keepAliveMsecs: 1000,
    maxFreeSockets: 256,
    scheduling: 'lifo',
    timeout: 4000,
  };
  return new URL(url).protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
}
