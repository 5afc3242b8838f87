// Loaded into every suite process by `BENCH_CPU_PROFILE=<dir> pnpm bench`
// (NODE_OPTIONS=--require …; node refuses --cpu-prof there): profiles the
// whole life of the process with the in-process inspector and writes
// <dir>/<service>-<pid>.cpuprofile when it exits. Plain JS: the services run
// without a TypeScript loader.
'use strict';
const inspector = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join, basename, dirname } = require('node:path');

const dir = process.env.BENCH_CPU_PROFILE;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  const main = process.argv[1] || 'node';
  const name = basename(dirname(dirname(main))) || basename(main);
  process.once('exit', () => {
    // An in-process session answers synchronously, so this runs to the end before the process goes.
    session.post('Profiler.stop', (err, result) => {
      if (!err) writeFileSync(join(dir, `${name}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
