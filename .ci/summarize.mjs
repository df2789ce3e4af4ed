// Sums CI results: every `<step>.step.json` that .ci/run wrote, and the vitest JSON report each
// test step points at. A lint or typecheck step counts as one test (passed or failed); a test
// step counts its vitest numPassedTests / numFailedTests, plus one failure when the step failed
// without any failed test to show for it (a crash, a failed suite import, a missing report).
// Steps marked counted:false (the quick bench) are reported but not counted.
// Prints exactly one last line: "N passed, N failed". Exit 1 when anything failed or no vitest test ran.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const outDir = path.resolve(process.argv[2] ?? '.ci/out');
let passed = 0;
let failed = 0;
/** Tests that vitest ran (lint and typecheck not included): zero means CI proved nothing. */
let testsRun = 0;
const lines = [];

const steps = existsSync(outDir) ? readdirSync(outDir).filter((file) => file.endsWith('.step.json')).sort() : [];
for (const file of steps) {
  const step = JSON.parse(readFileSync(path.join(outDir, file), 'utf8'));
  if (!step.counted) {
    lines.push(`${step.step}: ${step.exitCode === 0 ? 'ok' : `exit ${step.exitCode}`} (not counted)`);
    continue;
  }
  if (step.json === null) {
    if (step.exitCode === 0) passed += 1;
    else failed += 1;
    lines.push(`${step.step}: ${step.exitCode === 0 ? 'passed' : 'FAILED'}`);
    continue;
  }
  const report = path.join(outDir, step.json);
  const details = [];
  let p = 0;
  let f = 0;
  let note = '';
  if (existsSync(report)) {
    try {
      const json = JSON.parse(readFileSync(report, 'utf8'));
      p = json.numPassedTests ?? 0;
      f = json.numFailedTests ?? 0;
      const failedSuites = json.numFailedTestSuites ?? 0;
      if (failedSuites) note = ` (${failedSuites} failed file(s))`;
      for (const suite of json.testResults ?? []) {
        for (const test of suite.assertionResults ?? []) {
          if (test.status === 'failed') details.push(`  FAILED ${path.relative(process.cwd(), suite.name)} > ${test.fullName}`);
        }
        if (suite.status === 'failed' && !(suite.assertionResults ?? []).some((t) => t.status === 'failed')) {
          details.push(`  FAILED ${path.relative(process.cwd(), suite.name)}: ${(suite.message ?? '').split('\n')[0]}`);
        }
      }
    } catch (error) {
      note = ` (unreadable report: ${error.message})`;
    }
  } else {
    note = ' (no JSON report written)';
  }
  if (step.exitCode !== 0 && f === 0) {
    f = 1;
    note += ' (step failed: counted as 1 failure)';
  }
  testsRun += p + f;
  passed += p;
  failed += f;
  lines.push(`${step.step}: ${p} passed, ${f} failed${note}`, ...details);
}

for (const line of lines) console.log(line);
if (testsRun === 0) console.log('no test ran: failing the run');
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || testsRun === 0 ? 1 : 0);
