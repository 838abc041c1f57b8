// `npm run bench -- <workload> [options] [--json] [--out file.json]`: runs one workload, prints a
// human table and then the figures as one JSON object on the last line (only the JSON with --json).
import fs from 'node:fs';
import { formatTable, UsageError, type Workload } from './lib.js';
import { care } from './care.js';
import { command } from './command.js';
import { defence } from './defence.js';
import { events } from './events.js';
import { mediation } from './mediation.js';
import { people } from './people.js';
import { platform } from './platform.js';
import { screening } from './screening.js';
import { services } from './services.js';
import { web } from './web.js';

// Add workloads here; each lives in its own file.
const WORKLOADS: Record<string, Workload> = {
  platform,
  people,
  events,
  command,
  defence,
  screening,
  mediation,
  services,
  care,
  web,
};

function usage(): string {
  const lines = Object.entries(WORKLOADS).map(
    ([name, w]) => `  ${name.padEnd(10)} ${w.summary}\n  ${' '.repeat(10)} options: ${w.usage}`,
  );
  return `usage: npm run bench -- <workload> [options] [--json] [--out file.json]\nworkloads:\n${lines.join('\n')}`;
}

async function main(): Promise<number> {
  const [name, ...rest] = process.argv.slice(2);
  if (name === '--help' || name === '-h') {
    console.log(usage());
    return 0;
  }
  const workload = name === undefined ? undefined : WORKLOADS[name];
  if (!workload) {
    console.error(`${name === undefined ? 'no workload given' : `unknown workload: ${name}`}\n${usage()}`);
    return 2;
  }
  const jsonOnly = rest.includes('--json');
  const outAt = rest.indexOf('--out');
  const out = outAt >= 0 ? rest[outAt + 1] : undefined;
  if (outAt >= 0 && (!out || out.startsWith('--'))) {
    console.error(`--out needs a file name\n${usage()}`);
    return 2;
  }
  const args = rest.filter((a, i) => a !== '--json' && (outAt < 0 || (i !== outAt && i !== outAt + 1)));
  // Progress goes to stderr, so stdout holds only the results.
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    const { json, table } = await workload.run(args, log);
    const text = JSON.stringify(json);
    if (!jsonOnly) console.log(`\n${formatTable(table)}\n`);
    console.log(text);
    if (out) fs.writeFileSync(out, JSON.stringify(json, null, 2) + '\n');
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`${e.message}\n${usage()}`);
      return 2;
    }
    throw e;
  }
}

process.exitCode = await main();
