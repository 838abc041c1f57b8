// `npm test`: typecheck, lint, formatting, unit tests, the DB suites on SQLite and PostgreSQL, and the browser
// journeys in Chromium. A suite that cannot run is named loudly; under CI=true that is a failure.
// Ends with the plain line `N passed, N failed` (also written to test-results/summary.txt).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const root = path.resolve(import.meta.dirname, '..');
const bin = (n) => path.join(root, 'node_modules/.bin', n);
const ci = process.env.CI === 'true' || process.env.CI === '1';
const pgUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const results = path.join(root, 'test-results');
fs.mkdirSync(results, { recursive: true });

let passed = 0;
let failed = 0;
const skipped = [];
const stages = [];
// Failed tests by name, printed with the summary: the tail of a CI log is often all one gets to read.
const failures = [];

function run(name, cmd, args, env = {}) {
  const t0 = Date.now();
  console.log(`\n━━ ${name} ━━`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  stages.push({ name, ok, seconds: ((Date.now() - t0) / 1000).toFixed(1) });
  return ok;
}

function countVitest(file) {
  try {
    const j = JSON.parse(fs.readFileSync(file, 'utf8'));
    passed += j.numPassedTests;
    failed += j.numFailedTests;
    // A file that failed to load has no tests counted: count it as a failure.
    failed += j.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
    for (const f of j.testResults) {
      const file = path.relative(root, f.name);
      if (f.status === 'failed' && f.assertionResults.length === 0)
        failures.push(`${file}: ${firstLine(f.message)}`);
      for (const a of f.assertionResults.filter((x) => x.status === 'failed'))
        failures.push(`${file} › ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
    }
    return true;
  } catch {
    failed += 1;
    return false;
  }
}

function firstLine(message) {
  // eslint-disable-next-line no-control-regex
  const plain = String(message ?? '').replace(/\u001b\[[0-9;]*m/g, '');
  return (plain.split('\n').find((l) => l.trim() !== '') ?? '').trim().slice(0, 240);
}

async function postgresReachable() {
  const c = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

// Checks that are not tests still count: each failing one adds a failure.
for (const [name, cmd, args] of [
  ['typecheck (server)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']],
  ['typecheck (browser journeys)', bin('tsc'), ['-p', 'e2e/tsconfig.json', '--noEmit']],
  ['typecheck (web)', bin('tsc'), ['-p', 'web/tsconfig.json', '--noEmit']],
  ['lint', bin('eslint'), ['.']],
  ['format (prettier --check)', bin('prettier'), ['--check', '--log-level', 'warn', '.']],
]) {
  if (run(name, cmd, args)) passed += 1;
  else failed += 1;
}

const projects = ['unit', 'db-sqlite'];
if (await postgresReachable()) projects.push('db-postgres');
else skipped.push(`db-postgres: PostgreSQL not reachable at ${pgUrl}`);

const jsonOut = path.join(results, 'vitest.json');
fs.rmSync(jsonOut, { force: true });
run(`vitest (${projects.join(', ')})`, bin('vitest'), [
  'run',
  ...projects.flatMap((p) => ['--project', p]),
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${jsonOut}`,
]);
countVitest(jsonOut);

if (fs.existsSync(chromium)) {
  if (run('build web app for the browser journeys', bin('vite'), ['build', '--logLevel', 'warn'])) {
    const e2eOut = path.join(results, 'vitest-e2e.json');
    fs.rmSync(e2eOut, { force: true });
    run(
      'browser journeys (Chromium)',
      bin('vitest'),
      ['run', '--project', 'e2e', '--reporter=default', '--reporter=json', `--outputFile.json=${e2eOut}`],
      {
        CHROMIUM_PATH: chromium,
      },
    );
    countVitest(e2eOut);
  } else failed += 1;
} else skipped.push(`e2e: no Chromium at ${chromium} (apt-get install -y chromium)`);

console.log('\n━━ summary ━━');
for (const s of stages) console.log(`${s.ok ? 'ok  ' : 'FAIL'} ${s.name} (${s.seconds}s)`);
if (failures.length > 0) {
  console.log(`\nfailed tests (${failures.length}):`);
  for (const f of failures) console.log(`✗ ${f}`);
}
if (skipped.length > 0) {
  console.log('\n!!!!!!!! SUITES SKIPPED !!!!!!!!');
  for (const s of skipped) console.log(`!! ${s}`);
  if (ci) {
    console.log('!! CI=true: a skipped suite is a failure.');
    failed += skipped.length;
  }
}
const line = `${passed} passed, ${failed} failed`;
fs.writeFileSync(path.join(results, 'summary.txt'), line + '\n');
console.log(`\n${line}`);
process.exit(failed > 0 || stages.some((s) => !s.ok) ? 1 : 0);
