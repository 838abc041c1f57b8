// Every route's case, one file per module; the matrix and other sweeps run them all.
import type { Case } from './driver.js';
import { platformCases } from './platform.cases.js';
import { nodesCases } from './nodes.cases.js';
import { accountsCases } from './accounts.cases.js';
import { auditCases } from './audit.cases.js';
import { peopleCases } from './people.cases.js';
import { eventsCases } from './events.cases.js';
import { liveCases } from './live.cases.js';
import { reportsCases } from './reports.cases.js';
import { noticesCases } from './notices.cases.js';
import { commandCases } from './command.cases.js';
import { defenceCases } from './defence.cases.js';
import { passagesCases } from './passages.cases.js';
import { observationsCases } from './observations.cases.js';
import { sweepsCases } from './sweeps.cases.js';
import { mediationCases } from './mediation.cases.js';
import { servicesCases } from './services.cases.js';
import { careCases } from './care.cases.js';

/** By 'METHOD /url' as registered: a key in two modules' files is a mistake the merge would hide. */
export const CASES: Record<string, Case> = {};
for (const part of [
  platformCases,
  nodesCases,
  accountsCases,
  auditCases,
  peopleCases,
  eventsCases,
  liveCases,
  reportsCases,
  noticesCases,
  commandCases,
  defenceCases,
  passagesCases,
  observationsCases,
  sweepsCases,
  mediationCases,
  servicesCases,
  careCases,
])
  for (const [k, v] of Object.entries(part)) {
    if (CASES[k]) throw new Error(`route-matrix case ${k} is defined twice`);
    CASES[k] = v;
  }
