// Volunteers from a workbook (XLSX or CSV) a coordinator fills in: one row a volunteer, columns named
// in Chinese or English. Every row is checked before anything is written; a file with any bad row is
// refused with each row's issues listed (all or none).
import { z } from 'zod';
import { idNumberInput, phoneInput } from '../../../common/contracts/people.js';
import {
  CERTIFICATIONS,
  SERVICES_LIMITS,
  SKILLS,
  type Certification,
  type Skill,
} from '../../../common/contracts/services-codes.js';
import { msg, textsOf, type MessageCode } from '../../../common/messages/index.js';
import { headerKey, readTable, requireHeaders } from '../../platform/tabular.js';
import { zodIssueMessage } from '../../platform/error-handler.js';
import { badRequest, validationFailed, type ProblemIssue } from '../../platform/errors.js';

export interface VolunteerImportRow {
  /** Its row in the sheet: what an issue found later (a home outside the place) names. */
  row: number;
  name: string;
  idNumber: string;
  phone: string | null;
  homeCode: string;
  partyMember: boolean;
  skills: Skill[];
  certifications: Certification[];
}

/** Each column by the names it may have in the header row (compared as headerKey makes them). */
const COLUMNS = {
  name: ['姓名', 'name'],
  idNumber: ['身份证号', '身份证号码', 'idnumber'],
  phone: ['手机号', '手机', '联系电话', 'phone'],
  homeCode: ['居住地编码', '网格编码', 'homecode'],
  partyMember: ['党员', 'partymember'],
  skills: ['技能', 'skills'],
  certifications: ['证书', 'certifications'],
} as const;
const REQUIRED = ['name', 'idNumber', 'homeCode'] as const;

/** A code or its label in either language ('送餐', 'Meal delivery', 'meal_delivery') → the code. */
function byLabel<T extends string>(codes: readonly T[], prefix: string) {
  const map = new Map<string, T>();
  for (const c of codes) {
    map.set(c, c);
    const texts = textsOf(`${prefix}.${c}` as MessageCode);
    map.set(texts['zh-CN'], c);
    map.set(texts.en.toLowerCase(), c);
  }
  return (s: string) => map.get(s) ?? map.get(s.toLowerCase());
}
const skillOf = byLabel(SKILLS, 'services.skill');
const certOf = byLabel(CERTIFICATIONS, 'services.cert');
const YES = new Set(['是', 'y', 'yes', '1', 'true', '党员']);
// Split at commas and the like; a piece that is no label whole may be labels split by spaces
// ('送餐 代购'), while an English label keeps its space ('Meal delivery').
const split = (s: string | undefined, known: (x: string) => unknown) =>
  (s ?? '')
    .split(/[,，、;；\n]+/)
    .map((x) => x.trim())
    .filter(Boolean)
    .flatMap((x) => (known(x) ? [x] : x.split(/\s+/)));

const rowSchema = z.object({
  name: z.string().trim().min(1).max(SERVICES_LIMITS.nameChars),
  idNumber: idNumberInput,
  phone: phoneInput.nullable(),
  homeCode: z.string().trim().min(1).max(40),
});

export async function parseVolunteerSheet(filename: string, data: Buffer): Promise<VolunteerImportRow[]> {
  const table = await readTable(filename, data, { rows: SERVICES_LIMITS.importRowsMax });
  // Find each column by any of its names; require the three that make a volunteer.
  const keyOf = new Map<string, keyof typeof COLUMNS>();
  for (const [field, names] of Object.entries(COLUMNS) as [keyof typeof COLUMNS, readonly string[]][])
    for (const n of names) keyOf.set(headerKey(n), field);
  const header = new Map<keyof typeof COLUMNS, string>();
  for (const h of table.headers) {
    const f = keyOf.get(headerKey(h));
    if (f && !header.has(f)) header.set(f, h);
  }
  requireHeaders(
    { headers: REQUIRED.filter((f) => header.has(f)).map((f) => COLUMNS[f][0]) },
    REQUIRED.map((f) => COLUMNS[f][0]),
  );
  if (table.rows.length === 0) throw badRequest('import.empty');
  const issues: ProblemIssue[] = [];
  const out: VolunteerImportRow[] = [];
  const seen = new Map<string, number>();
  for (const r of table.rows) {
    const cell = (f: keyof typeof COLUMNS) => {
      const h = header.get(f);
      const v = h === undefined ? undefined : r.values[h]?.trim();
      return v === '' ? undefined : v;
    };
    const parsed = rowSchema.safeParse({
      name: cell('name') ?? '',
      idNumber: cell('idNumber') ?? '',
      phone: cell('phone') ?? null,
      homeCode: cell('homeCode') ?? '',
    });
    if (!parsed.success) {
      for (const i of parsed.error.issues)
        issues.push({
          path: `rows.${r.row}.${String(i.path[0])}`,
          message: zodIssueMessage(i.code, i as unknown as Record<string, unknown>, i.message),
          code: i.code,
        });
      continue;
    }
    // A list column's labels as codes, each label that is none an issue.
    const codes = <T extends string>(f: 'skills' | 'certifications', of: (s: string) => T | undefined) => {
      const found = new Set<T>();
      for (const s of split(cell(f), of)) {
        const code = of(s);
        if (code) found.add(code);
        else
          issues.push({
            path: `rows.${r.row}.${f}`,
            message: msg('issue.not_a_choice', { value: s }),
            code: 'unknown',
          });
      }
      return [...found];
    };
    const skills: Skill[] = codes('skills', skillOf);
    const certifications: Certification[] = codes('certifications', certOf);
    const dup = seen.get(parsed.data.idNumber);
    if (dup !== undefined)
      issues.push({
        path: `rows.${r.row}.idNumber`,
        message: msg('issue.duplicate_row', { row: dup }),
        code: 'duplicate',
      });
    seen.set(parsed.data.idNumber, r.row);
    out.push({
      row: r.row,
      ...parsed.data,
      partyMember: YES.has((cell('partyMember') ?? '').toLowerCase()),
      skills,
      certifications,
    });
  }
  if (issues.length > 0) throw validationFailed(issues.slice(0, 200));
  return out;
}
