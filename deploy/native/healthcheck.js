#!/usr/bin/env node
'use strict';
/**
 * Health of a running Harbor-TS, read from the configs prepare rendered (so
 * it always probes the ports the services were told to use):
 *   log         its TCP syslog port accepts a connection
 *   registry    GET /health            -> 200
 *   core        GET /api/v2.0/ping     -> 200
 *   jobservice  GET /api/v1/health     -> 200
 *   proxy       GET /api/v2.0/health through the public port -> 200, "status": "healthy"
 *
 * usage: node deploy/native/healthcheck.js [--config-dir common/config]
 *          [--only proxy,core] [--wait SECONDS] [--proxy-url http://127.0.0.1:80]
 * Without --wait it checks once. With it, it re-checks every 2 s until all
 * pass or the time is up, printing what it still waits for now and then.
 * Exit 0 when every check passes, 1 otherwise (the failing ones are named).
 * --proxy-url replaces the proxy's own listen address, for compose, where
 * the proxy's container port is published on another host port.
 * Plain Node, no dependencies: it runs before and without the build.
 */
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const net = require('node:net');
const path = require('node:path');

const order = ['log', 'registry', 'core', 'jobservice', 'proxy'];
const probeTimeoutMs = 3000;

function parseArgs(argv) {
  const args = { configDir: 'common/config', only: order, wait: 0, proxyUrl: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--config-dir') args.configDir = argv[++i];
    else if (a === '--only') args.only = argv[++i].split(',').filter(Boolean);
    else if (a === '--wait') args.wait = Number(argv[++i]);
    else if (a === '--proxy-url') args.proxyUrl = argv[++i].replace(/\/+$/, '');
    else throw new Error(`unknown argument ${a}`);
  }
  for (const name of args.only) if (!order.includes(name)) throw new Error(`unknown service ${name}`);
  if (!Number.isFinite(args.wait) || args.wait < 0) throw new Error('--wait needs a number of seconds');
  return args;
}

/** 0.0.0.0 / :: mean "every address": probe through loopback. */
function reachable(host) {
  return host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
}

function readConfig(dir, service) {
  return JSON.parse(fs.readFileSync(path.join(dir, service, 'config.json'), 'utf8'));
}

function probes(configDir, proxyUrl) {
  const all = {};
  all.log = () => {
    const c = readConfig(configDir, 'log');
    return tcp(reachable(c.listen.host), c.listen.tcpPort);
  };
  for (const [service, route] of [['registry', '/health'], ['core', '/api/v2.0/ping'], ['jobservice', '/api/v1/health']]) {
    all[service] = async () => {
      const c = readConfig(configDir, service);
      const url = `http://${reachable(c.listen.host)}:${c.listen.port}${route}`;
      const answer = await get(url);
      if (answer.status !== 200) throw new Error(`${url} answered ${answer.status} ${answer.body.slice(0, 200)}`);
      return url;
    };
  }
  all.proxy = async () => {
    const c = readConfig(configDir, 'proxy');
    const base = proxyUrl ?? `${c.tls ? 'https' : 'http'}://${reachable(c.listen.host)}:${c.listen.port}`;
    const url = `${base}/api/v2.0/health`;
    const answer = await get(url, new URL(c.externalUrl).host);
    let status;
    let unhealthy = [];
    try {
      const body = JSON.parse(answer.body);
      status = body.status;
      unhealthy = (body.components || []).filter((x) => x.status !== 'healthy').map((x) => x.name);
    } catch {
      status = undefined;
    }
    if (answer.status !== 200 || status !== 'healthy') {
      const detail = unhealthy.length > 0 ? `unhealthy components: ${unhealthy.join(', ')}` : answer.body.slice(0, 200);
      throw new Error(`${url} answered ${answer.status}: ${detail}`);
    }
    return `${url} (healthy)`;
  };
  return all;
}

function tcp(host, port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(probeTimeoutMs, () => socket.destroy(new Error('timed out')));
    socket.on('connect', () => {
      socket.end();
      resolve(`tcp ${host}:${port}`);
    });
    socket.on('error', (err) => reject(new Error(`tcp ${host}:${port}: ${err.code || err.message}`)));
  });
}

function get(url, hostHeader) {
  return new Promise((resolve, reject) => {
    const client = url.startsWith('https:') ? https : http;
    const headers = hostHeader ? { Host: hostHeader } : {};
    const req = client.get(url, { headers, rejectUnauthorized: false, agent: false, timeout: probeTimeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err) => reject(new Error(`${url}: ${err.code || err.message}`)));
  });
}

async function checkAll(names, all) {
  const results = await Promise.all(
    names.map(async (name) => {
      try {
        return { name, ok: true, detail: await all[name]() };
      } catch (err) {
        return { name, ok: false, detail: err.message };
      }
    }),
  );
  return results;
}

function print(results) {
  for (const r of results) process.stdout.write(`  ${r.name.padEnd(11)} ${r.ok ? 'ok  ' : 'FAIL'}  ${r.detail}\n`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const all = probes(args.configDir, args.proxyUrl);
  const deadline = Date.now() + args.wait * 1000;
  let lastReport = Date.now();
  for (;;) {
    const results = await checkAll(args.only, all);
    const failing = results.filter((r) => !r.ok);
    if (failing.length === 0 || Date.now() >= deadline) {
      print(results);
      if (failing.length > 0) {
        process.stdout.write(`unhealthy: ${failing.map((r) => r.name).join(', ')}\n`);
        process.exitCode = 1;
      }
      return;
    }
    if (Date.now() - lastReport >= 15_000) {
      lastReport = Date.now();
      const left = Math.round((deadline - Date.now()) / 1000);
      process.stdout.write(`  still waiting for: ${failing.map((r) => r.name).join(', ')} (${left}s left)\n`);
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}

main().catch((err) => {
  process.stderr.write(`healthcheck: ${err.message}\n`);
  process.exitCode = 2;
});
