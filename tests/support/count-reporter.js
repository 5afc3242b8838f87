const fs = require('node:fs');
const path = require('node:path');

/**
 * Writes the closing line CI reads, `N passed, N failed` (and skipped when
 * any); tests/run prints it last. A suite that fails to load counts as failed.
 */
class CountReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `${results.numPassedTests} passed, ${failed} failed` + (skipped > 0 ? `, ${skipped} skipped` : '');
    const dir = path.join(__dirname, '..', 'artifacts');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'summary.txt'), `${line}\n`);
  }
}
module.exports = CountReporter;
