'use strict';
/**
 * pm2 ecosystem for a native install: the five services as `harbor-<svc>`,
 * each `node services/<svc>/dist/main.js --config <config dir>/<svc>/config.json`.
 *
 * Listed in start order: the log collector first (the others send it their
 * lines), then registry, core and jobservice, then the proxy, the public
 * entry. None of them needs another to start; a service whose dependency is
 * not up yet answers unhealthy until it is.
 *
 * A crashed service is restarted with an exponential back-off (pm2 starts at
 * the delay below and doubles it up to 15 s, resetting once the service has
 * stayed up), so a service that cannot start does not spin the CPU.
 *
 * Paths come from the environment ./install sets, with defaults for running
 * it by hand from the repository:
 *   HARBOR_ROOT        the repository checkout
 *   HARBOR_CONFIG_DIR  where prepare rendered the configs (<root>/common/config)
 *   HARBOR_LOG_DIR     log_location from harbor.cfg; the services' stdout and
 *                      stderr go to <dir>/supervisor/ (their syslog lines go
 *                      to <dir>/<service>.log through the collector)
 */
const path = require('node:path');

const root = process.env.HARBOR_ROOT || path.resolve(__dirname, '..', '..');
const configDir = process.env.HARBOR_CONFIG_DIR || path.join(root, 'common', 'config');
const supervisorLogs = path.join(process.env.HARBOR_LOG_DIR || '/var/log/harbor', 'supervisor');

const services = ['log', 'registry', 'core', 'jobservice', 'proxy'];

module.exports = {
  apps: services.map((service) => ({
    name: `harbor-${service}`,
    cwd: root,
    script: path.join(root, 'services', service, 'dist', 'main.js'),
    args: ['--config', path.join(configDir, service, 'config.json')],
    node_args: ['--enable-source-maps'],
    exec_mode: 'fork',
    instances: 1,
    autorestart: true,
    exp_backoff_restart_delay: 200,
    // The proxy drains in-flight transfers for up to 10 s on SIGTERM.
    kill_timeout: 15000,
    out_file: path.join(supervisorLogs, `${service}.out.log`),
    error_file: path.join(supervisorLogs, `${service}.err.log`),
    merge_logs: true,
    env: { NODE_ENV: 'production' },
  })),
};
