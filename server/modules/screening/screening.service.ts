// Screening sweeps (摸排): a campaign under a command that visits a target population door to door with
// a questionnaire. Creating a sweep puts every target on exactly one grid's list (the grid holding the
// person; a micro-grid's people on its grid's list), household by household; a district office's
// seconded cadres (下沉干部) are paired with grids and see those lists on their phones. A visit records
// answers (checked against the questionnaire's version and classified by its risk rules), or not at
// home (the target stays on the list), moved away, refused. Progress per node is read from counters
// kept in each change's transaction (live_counters), so a district of 160,000 targets answers in
// milliseconds. Answers are health data: encrypted, read only through here, purpose-tagged to the
// sweep's command and deleted when the retention after its close runs out.
import type { z } from 'zod';
import type {
  CreateQuestionnaireInput,
  createSweepBody,
  foundBody,
  GridList,
  QuestionnaireView,
  SweepProgress,
  SweepView,
  TargetView,
  visitBody,
  sweepListFields,
} from '../../../common/contracts/screening.js';
import {
  SWEEP_MAX_HELPERS_PER_GRID,
  SWEEP_MAX_TARGETS,
  finishes,
  SWEEP_LIST_ALIASES,
  SWEEP_LIST_COLUMNS,
  type PopulationKind,
} from '../../../common/contracts/screening-codes.js';
import {
  DEFAULT_LANG,
  isMessageCode,
  msg,
  renderMessage,
  type Lang,
  type MessageCode,
} from '../../../common/messages/index.js';
import {
  answerOf,
  checkAnswers,
  checkDefinition,
  classifyRisk,
  type Answers,
  type QuestionnaireDefinition,
} from '../../../common/questionnaire.js';
import { ancestorPaths, parentPath } from '../../../common/tree.js';
import { parseIdNumber } from '../../../common/validators.js';
import { localDate } from '../../../common/worktime.js';
import type { DB, Executor } from '../../db/index.js';
import { isUniqueViolation, nowIso } from '../../db/index.js';
import {
  actorOf,
  assertCan,
  assertDistrictWide,
  can,
  holdsAnywhere,
  isWithin,
  scopesFor,
  type Actor,
  type RequestContext,
} from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import {
  badRequest,
  conflict,
  forbidden,
  notFound,
  validationFailed,
  type ProblemIssue,
} from '../../platform/errors.js';
import { bumpCountersMany, recordLive, type LivePoke } from '../../platform/live.js';
import type { PiiCipher } from '../../platform/pii.js';
import { openTable, writeWorkbook } from '../../platform/tabular.js';
import { registerFoundPerson } from '../people/index.js';
import * as repo from './screening.repository.js';

/** The counters (live_counters metrics), per the target's grid path and every ancestor. */
export const SWEEP_METRICS = {
  /** Over all open sweeps of a command (the cockpit): targets, finished visits, high-risk answers. */
  targets: 'sweep.targets',
  done: 'sweep.done',
  high: 'sweep.high',
  /** One sweep's own (its progress page). */
  of: (id: number) => ({
    targets: `sweep.${id}.targets`,
    done: `sweep.${id}.done`,
    high: `sweep.${id}.high`,
  }),
} as const;
type Counts = { targets?: number; done?: number; high?: number };
/**
 * Counts a sweep's change at some lists, in the caller's transaction: the sweep's own counters (its
 * progress page) and, while it is open, its command's (the cockpit's figures).
 */
async function countSweep(
  trx: Executor,
  sweep: { id: number; commandId: number },
  changes: readonly { nodePath: string; counts: Counts }[],
  own = true,
) {
  const m = SWEEP_METRICS.of(sweep.id);
  const deltas = (c: Counts, names: { targets: string; done: string; high: string }) =>
    Object.fromEntries(
      (['targets', 'done', 'high'] as const).filter((k) => c[k]).map((k) => [names[k], c[k]!]),
    );
  if (own)
    await bumpCountersMany(
      trx,
      changes.map((c) => ({ nodePath: c.nodePath, deltas: deltas(c.counts, m) })),
    );
  await bumpCountersMany(
    trx,
    changes.map((c) => ({ nodePath: c.nodePath, deltas: deltas(c.counts, SWEEP_METRICS) })),
    sweep.commandId,
  );
}

/** Answers are deleted this many days after the sweep's command closed (one audit row per sweep). */
export const SWEEP_RETENTION_DAYS = 28;
/** Rows of one results workbook. */
export const SWEEP_EXPORT_MAX_ROWS = 200_000;
const LAGGARDS = 10;

interface Stored {
  answers: Answers;
  note: string | null;
}

export function createScreeningService(deps: {
  db: DB;
  pii: PiiCipher;
  live?: LivePoke;
  now?: () => string;
}) {
  const { db, pii } = deps;
  const now = deps.now ?? nowIso;
  const poke = () => deps.live?.poke();

  async function loadSweep(x: Executor, id: number) {
    const s = await repo.sweepHeader(x, id);
    if (!s) throw notFound('sweep');
    return s;
  }
  async function definitionOf(x: Executor, questionnaireId: number) {
    const q = await repo.findQuestionnaire(x, questionnaireId);
    if (!q) throw notFound('questionnaire');
    return { row: q, def: JSON.parse(q.definition) as QuestionnaireDefinition };
  }
  const questionnaireView = (
    q: NonNullable<Awaited<ReturnType<typeof repo.findQuestionnaire>>>,
  ): QuestionnaireView => ({
    id: q.id,
    code: q.code,
    version: q.version,
    title: { zh: q.title_zh, en: q.title_en },
    definition: JSON.parse(q.definition) as QuestionnaireView['definition'],
    createdAt: q.created_at,
  });

  /** Reads the sweep's lists and results somewhere within it (the place's sweeps.read). */
  const readsIn = (actor: Actor, s: repo.SweepRow) =>
    scopesFor(actor, 'sweeps.read').some((p) => isWithin(p, s.node_path) || isWithin(s.node_path, p));
  /**
   * The caller's places in a sweep: its root when they read above it, else their reading scopes
   * inside it (none for those who only visit: their paired grids stand for them).
   */
  function placesIn(actor: Actor, s: repo.SweepRow): string[] {
    const scopes = scopesFor(actor, 'sweeps.read');
    if (scopes.some((p) => isWithin(s.node_path, p))) return [s.node_path];
    return scopes.filter((p) => isWithin(p, s.node_path));
  }
  /** The first of them: where the progress page and the export start. */
  const placeIn = (actor: Actor, s: repo.SweepRow): string | null => placesIn(actor, s)[0] ?? null;
  /** Grid workers' own grids in the sweep (visit and read there), and the grids they are paired with. */
  async function myGrids(x: Executor, actor: Actor, s: repo.SweepRow) {
    const paired = await repo.gridsOfHelper(x, s.id, actor.userId);
    const own = scopesFor(actor, 'sweeps.visit').filter(
      (p) => isWithin(p, s.node_path) && can(actor, 'sweeps.read', p),
    );
    const nodes = (await repo.nodesByPaths(x, own)).filter((n) => n.level === 'grid');
    const out = new Map<number, { id: number; name: string; path: string }>();
    for (const n of [...nodes, ...paired]) out.set(n.id, { id: n.id, name: n.name, path: n.path });
    return [...out.values()];
  }
  /** Visits a grid's list: the grid's own workers (visit and read there) or a paired cadre. */
  async function visitsAt(x: Executor, actor: Actor, s: repo.SweepRow, gridPath: string) {
    if (can(actor, 'sweeps.visit', gridPath) && can(actor, 'sweeps.read', gridPath)) return true;
    if (!holdsAnywhere(actor, 'sweeps.visit')) return false;
    return (await repo.gridsOfHelper(x, s.id, actor.userId)).some((g) => isWithin(gridPath, g.path));
  }

  async function countersOf(sweepId: number, paths: readonly string[]) {
    const m = SWEEP_METRICS.of(sweepId);
    const rows = await repo.countersAt(db, paths, [m.targets, m.done, m.high]);
    const out = new Map(paths.map((p) => [p, { targets: 0, done: 0, high: 0 }]));
    for (const r of rows) {
      const v = out.get(r.node_path)!;
      if (r.metric === m.targets) v.targets = Number(r.value);
      else if (r.metric === m.done) v.done = Number(r.value);
      else v.high = Number(r.value);
    }
    return out;
  }

  function targetView(actor: Actor, t: repo.TargetLine): TargetView {
    return {
      id: t.id,
      person: {
        id: t.person_id,
        name: t.name,
        idNumberMasked: t.id_number_masked,
        gender: t.gender,
        birthDate: t.birth_date,
      },
      status: t.status,
      risk: t.risk,
      visits: Number(t.visits),
      visitedAt: t.visited_at,
      found: Number(t.found) === 1,
      observe: can(actor, 'observations.manage', t.node_path),
    };
  }

  async function sweepView(actor: Actor, s: repo.SweepHeader, lang: Lang): Promise<SweepView> {
    const mine = await myGrids(db, actor, s);
    // The figures of the caller's own places only, added up: never the whole sweep's for a reader of
    // two villages in it, or a cadre paired with two grids.
    const places = placesIn(actor, s);
    const paths = places.length > 0 ? places : mine.map((g) => g.path);
    const counted = await countersOf(s.id, paths);
    const c = { done: 0, targets: 0 };
    for (const v of counted.values()) {
      c.done += v.done;
      c.targets += v.targets;
    }
    const manages = can(actor, 'sweeps.manage', s.node_path);
    return {
      id: s.id,
      name: s.name,
      node: { id: s.node_id, name: s.node_name },
      command: { id: s.command_id, name: s.command_title },
      questionnaire: {
        id: s.questionnaire_id,
        code: s.q_code,
        version: s.q_version,
        title: lang === 'en' ? s.q_title_en : s.q_title_zh,
      },
      population: { kind: s.population_kind, since: s.population_since, tag: s.population_tag },
      deadline: s.deadline,
      status: s.status,
      done: c.done,
      targets: c.targets,
      myGrids: mine.map((g) => ({ id: g.id, name: g.name })),
      createdAt: s.created_at,
      abilities: {
        manage:
          s.status === 'open' &&
          scopesFor(actor, 'sweeps.manage').some((p) => isWithin(p, s.node_path) || isWithin(s.node_path, p)),
        export: readsIn(actor, s),
        close: s.status === 'open' && manages,
      },
    };
  }

  async function gridIn(x: Executor, s: repo.SweepRow, gridId: number) {
    const g = await repo.nodeById(x, gridId);
    if (!g || g.level !== 'grid' || !isWithin(g.path, s.node_path))
      throw validationFailed([
        { path: 'body.gridId', message: msg('sweep.not_grid'), code: 'sweep.not_grid' },
      ]);
    return g;
  }

  /** The place a sweep starts at, checked: the caller manages there, the command and questionnaire fit. */
  async function checkStart(
    actor: Actor,
    body: { nodeId: number; commandId: number; questionnaireId: number },
  ) {
    const node = await repo.nodeById(db, body.nodeId);
    if (!node) throw notFound('node');
    // Read too: the answer is the sweep as the caller reads it, so a role that could only start
    // one would write it and be refused its view.
    assertCan(actor, 'sweeps.manage', node.path);
    assertCan(actor, 'sweeps.read', node.path);
    // Lists are kept per grid: a sweep covers a grid or more, never part of one.
    if (node.level === 'microgrid')
      throw validationFailed([
        { path: 'body.nodeId', message: msg('sweep.node_level'), code: 'sweep.node_level' },
      ]);
    const issues: ProblemIssue[] = [];
    const command = await repo.findCommand(db, body.commandId);
    if (!command || command.closed_at !== null || !isWithin(node.path, command.node_path))
      issues.push({
        path: 'body.commandId',
        message: msg('sweep.command_elsewhere'),
        code: 'sweep.command_elsewhere',
      });
    if (!(await repo.findQuestionnaire(db, body.questionnaireId)))
      issues.push({
        path: 'body.questionnaireId',
        message: { code: 'not_found.questionnaire' } as never,
        code: 'not_found.questionnaire',
      });
    if (issues.length > 0) throw validationFailed(issues);
    return node;
  }

  /**
   * Writes a sweep and its targets: each person on the list of the grid holding them (or the grid
   * above their micro-grid), counted per list and up the tree, in one transaction.
   */
  async function start(
    ctx: RequestContext,
    actor: Actor,
    node: { id: number; path: string },
    meta: { name: string; commandId: number; questionnaireId: number; deadline: string },
    pop: { kind: PopulationKind; since?: string; tag?: string },
    people: readonly { id: number; node_path: string; household_id: number | null }[],
  ) {
    if (people.length > SWEEP_MAX_TARGETS)
      throw badRequest('sweep.too_many_targets', {
        count: `${SWEEP_MAX_TARGETS}+`,
        max: SWEEP_MAX_TARGETS,
      });
    if (people.length === 0) throw badRequest('sweep.no_targets');
    const grids = new Map((await repo.gridsOf(db, node.path)).map((g) => [g.path, g]));
    const listOf = (path: string) => {
      const g = grids.get(path);
      if (g?.level === 'grid') return g;
      const up = parentPath(path);
      const p = up ? grids.get(up) : undefined;
      return p?.level === 'grid' ? p : g;
    };
    const missing = [...new Set(people.map((p) => p.node_path).filter((p) => !listOf(p)))];
    const others = new Map((await repo.nodesByPaths(db, missing)).map((n) => [n.path, n]));
    const at = now();
    const id = await db.transaction().execute(async (trx) => {
      const id = await repo.insertSweep(trx, {
        name: meta.name,
        command_id: meta.commandId,
        questionnaire_id: meta.questionnaireId,
        node_id: node.id,
        node_path: node.path,
        population_kind: pop.kind,
        population_since: pop.since ?? null,
        population_tag: pop.tag ?? null,
        deadline: meta.deadline,
        status: 'open',
        created_by_user_id: actor.userId,
        created_at: at,
        closed_at: null,
        purged_at: null,
      });
      const perList = new Map<string, number>();
      const rows = people.map((p) => {
        const list = listOf(p.node_path) ?? others.get(p.node_path)!;
        perList.set(list.path, (perList.get(list.path) ?? 0) + 1);
        return {
          sweep_id: id,
          person_id: p.id,
          node_id: list.id,
          node_path: list.path,
          household_id: p.household_id,
          status: 'pending' as const,
          risk: null,
          answers_enc: null,
          questionnaire_id: null,
          visits: 0,
          visited_at: null,
          visited_by_user_id: null,
          found: 0,
        };
      });
      await repo.insertTargets(trx, rows);
      const lists = [...perList];
      await countSweep(
        trx,
        { id, commandId: meta.commandId },
        lists.map(([nodePath, n]) => ({ nodePath, counts: { targets: n } })),
      );
      await recordLive(trx, {
        kind: 'sweep.created',
        paths: [node.path],
        commandId: meta.commandId,
        payload: { id },
      });
      await recordAudit(trx, ctx, {
        action: 'sweep.create',
        entityType: 'sweep',
        entityId: id,
        nodePath: node.path,
        after: {
          name: meta.name,
          command: meta.commandId,
          questionnaire: meta.questionnaireId,
          population: pop,
          deadline: meta.deadline,
        },
        detail: { targets: rows.length, lists: lists.length },
      });
      return id;
    });
    poke();
    return id;
  }

  return {
    // ---------------------------------------------------------------- questionnaires
    async questionnaires(ctx: RequestContext) {
      const actor = actorOf(ctx);
      if (!holdsAnywhere(actor, 'sweeps.read') && !holdsAnywhere(actor, 'sweeps.visit')) throw forbidden();
      const rows = await repo.latestQuestionnaires(db);
      return {
        items: rows.map((q) => ({
          id: q.id,
          code: q.code,
          version: q.version,
          title: { zh: q.title_zh, en: q.title_en },
          createdAt: q.created_at,
        })),
      };
    },
    async questionnaire(ctx: RequestContext, id: number): Promise<QuestionnaireView> {
      const actor = actorOf(ctx);
      if (!holdsAnywhere(actor, 'sweeps.read') && !holdsAnywhere(actor, 'sweeps.visit')) throw forbidden();
      const q = await repo.findQuestionnaire(db, id);
      if (!q) throw notFound('questionnaire');
      return questionnaireView(q);
    },
    /** A new questionnaire, or the next version of one: earlier versions and their answers stay as they were. */
    async createQuestionnaire(
      ctx: RequestContext,
      body: CreateQuestionnaireInput & { definition: QuestionnaireDefinition },
    ): Promise<QuestionnaireView> {
      const actor = actorOf(ctx);
      // One list for the district: published from the top, where every sweep can use it.
      assertDistrictWide(actor, 'sweeps.manage');
      const issues = checkDefinition(body.definition);
      if (issues.length > 0)
        throw validationFailed(
          issues.map((i) => ({
            path: ['body', 'definition', ...i.path].join('.'),
            message: { code: i.code, ...(i.params ? { params: i.params } : {}) } as never,
            code: i.code,
          })),
        );
      const id = await db.transaction().execute(async (trx) => {
        const version = (await repo.lastVersion(trx, body.code)) + 1;
        const id = await repo
          .insertQuestionnaire(trx, {
            code: body.code,
            version,
            title_zh: body.title.zh,
            title_en: body.title.en,
            definition: JSON.stringify(body.definition),
            created_by_user_id: actor.userId,
            created_at: now(),
          })
          .catch((e: unknown) => {
            // Another version of the same code published at this moment took the number.
            if (isUniqueViolation(e)) throw conflict('questionnaire.version_taken');
            throw e;
          });
        await recordAudit(trx, ctx, {
          action: 'questionnaire.create',
          entityType: 'questionnaire',
          entityId: id,
          nodePath: null,
          detail: { code: body.code, version },
        });
        return id;
      });
      return this.questionnaire(ctx, id);
    },

    // ---------------------------------------------------------------- sweeps
    async list(ctx: RequestContext, q: { status?: 'open' | 'closed' | undefined }) {
      const actor = actorOf(ctx);
      const rows = await repo.listSweeps(db, {
        scopes: scopesFor(actor, 'sweeps.read'),
        helperUserId: actor.userId,
        status: q.status,
      });
      const lang = ctx.lang ?? DEFAULT_LANG;
      return { items: await Promise.all(rows.map((s) => sweepView(actor, s, lang))) };
    },
    async get(ctx: RequestContext, id: number): Promise<SweepView> {
      const actor = actorOf(ctx);
      const s = await loadSweep(db, id);
      if (!readsIn(actor, s) && (await repo.gridsOfHelper(db, s.id, actor.userId)).length === 0)
        throw forbidden();
      return sweepView(actor, s, ctx.lang ?? DEFAULT_LANG);
    },

    /**
     * Starts a sweep: the population of the subtree chosen, each person on the list of the grid
     * holding them, counted per grid (and up the tree) in the same transaction.
     */
    async create(ctx: RequestContext, body: z.output<typeof createSweepBody>) {
      const actor = actorOf(ctx);
      const node = await checkStart(actor, body);
      const pop = body.population;
      const people = await repo.population(db, {
        path: node.path,
        kind: pop.kind,
        since: pop.kind === 'arrivals' ? pop.since : null,
        tag: pop.kind === 'tag' ? pop.tag : null,
        limit: SWEEP_MAX_TARGETS + 1,
      });
      const id = await start(ctx, actor, node, body, pop, people);
      return this.get(ctx, id);
    },

    /**
     * Starts a sweep of the people a workbook lists by ID number (one column, 身份证号): each found by
     * its blind index among the registry's people of the place. Every number is checked first; one
     * malformed refuses the file, nothing written. Numbers not registered there are answered by row,
     * to be added on the spot when met.
     */
    async createFromList(
      ctx: RequestContext,
      fields: z.output<typeof sweepListFields>,
      file: { filename: string; data: Buffer },
    ) {
      const actor = actorOf(ctx);
      const node = await checkStart(actor, fields);
      const table = await openTable(file.filename, file.data, {
        known: SWEEP_LIST_COLUMNS,
        aliases: SWEEP_LIST_ALIASES,
        required: SWEEP_LIST_COLUMNS,
      });
      const firstRow = new Map<string, number>();
      const issues: ProblemIssue[] = [];
      let rows = 0;
      const today = localDate(now());
      for await (const batch of table.batches)
        for (const r of batch) {
          if (++rows > SWEEP_MAX_TARGETS)
            throw badRequest('sweep.too_many_targets', {
              count: `${SWEEP_MAX_TARGETS}+`,
              max: SWEEP_MAX_TARGETS,
            });
          const raw = (r.values['身份证号'] ?? '').trim();
          const at = `file.rows.${r.row}.身份证号`;
          // A number the sheet held as a number has lost its last digits: refused, never guessed at.
          if (r.numeric?.includes('身份证号'))
            issues.push({
              path: at,
              message: msg('import_row.number_lost_digits', { column: '身份证号' }),
              code: 'lost_digits',
            });
          else if (!raw)
            issues.push({
              path: at,
              message: msg('import_row.required', { column: '身份证号' }),
              code: 'required',
            });
          else {
            const id = parseIdNumber(raw, today);
            if (!id.ok) issues.push({ path: at, message: msg(id.reason), code: 'invalid' });
            else {
              const bidx = pii.blindIndex('id', id.value.value);
              if (!firstRow.has(bidx)) firstRow.set(bidx, r.row);
            }
          }
        }
      if (issues.length > 0) throw validationFailed(issues.slice(0, 100));
      const people = await repo.peopleByIdBidx(db, node.path, [...firstRow.keys()]);
      const matched = new Set(people.map((p) => p.id_number_bidx));
      const unmatchedRows = [...firstRow]
        .filter(([bidx]) => !matched.has(bidx))
        .map(([, row]) => row)
        .slice(0, 1_000);
      const id = await start(ctx, actor, node, fields, { kind: 'list' }, people);
      return { sweep: await this.get(ctx, id), rows, matched: people.length, unmatchedRows };
    },

    async close(ctx: RequestContext, id: number) {
      const actor = actorOf(ctx);
      const s = await loadSweep(db, id);
      assertCan(actor, 'sweeps.manage', s.node_path);
      assertCan(actor, 'sweeps.read', s.node_path);
      if (s.status !== 'open') throw conflict('sweep.closed');
      await db.transaction().execute(async (trx) => {
        if (!(await repo.closeSweep(trx, id, now()))) throw conflict('sweep.closed');
        // The cockpit counts open sweeps: the closed one's figures leave it (its own stay for its page).
        // Counted from the targets at each list's place: a list above the grids (people placed at a
        // village) counts as much as a grid's.
        const rows = await repo.figuresByList(trx, id);
        await countSweep(
          trx,
          { id, commandId: s.command_id },
          rows.map((r) => ({
            nodePath: r.node_path,
            counts: { targets: -Number(r.targets), done: -Number(r.done), high: -Number(r.high) },
          })),
          false,
        );
        await recordLive(trx, {
          kind: 'sweep.closed',
          paths: [s.node_path],
          commandId: s.command_id,
          payload: { id },
        });
        await recordAudit(trx, ctx, {
          action: 'sweep.close',
          entityType: 'sweep',
          entityId: id,
          nodePath: s.node_path,
        });
      });
      poke();
      return this.get(ctx, id);
    },

    /** Done and targets at a node of the sweep and each of its children, and the grids furthest behind. */
    async progress(ctx: RequestContext, id: number, nodeId?: number): Promise<SweepProgress> {
      const actor = actorOf(ctx);
      const s = await loadSweep(db, id);
      const mine = await myGrids(db, actor, s);
      const place = placeIn(actor, s);
      let node;
      if (nodeId !== undefined) {
        node = await repo.nodeById(db, nodeId);
        if (!node) throw notFound('node');
      } else {
        const path = place ?? mine[0]?.path ?? null;
        if (!path) throw forbidden();
        [node] = await repo.nodesByPaths(db, [path]);
        if (!node) throw notFound('node');
      }
      if (!isWithin(node.path, s.node_path)) throw notFound('node');
      const reads = can(actor, 'sweeps.read', node.path);
      if (!reads && !mine.some((g) => isWithin(node.path, g.path))) throw forbidden();
      const children = node.level === 'grid' ? [] : await repo.childrenOf(db, node.id);
      const c = await countersOf(id, [node.path, ...children.map((k) => k.path)]);
      const m = SWEEP_METRICS.of(id);
      const laggards: SweepProgress['laggards'] = [];
      if (node.level !== 'grid' && node.level !== 'microgrid')
        for (const g of await repo.laggardGrids(db, node.path, m, LAGGARDS))
          laggards.push({ nodeId: g.id, name: g.name, done: Number(g.done), targets: Number(g.targets) });
      const here = c.get(node.path)!;
      return {
        nodeId: node.id,
        name: node.name,
        level: node.level,
        done: here.done,
        targets: here.targets,
        high: here.high,
        children: children
          .map((k) => ({ nodeId: k.id, name: k.name, ...c.get(k.path)! }))
          .filter((k) => k.targets > 0)
          .map(({ nodeId, name, done, targets }) => ({ nodeId, name, done, targets })),
        laggards,
      };
    },

    /** One grid's list, household by household: the caller's own grid unless another is asked for. */
    async gridList(ctx: RequestContext, id: number, nodeId?: number): Promise<GridList> {
      const actor = actorOf(ctx);
      const s = await loadSweep(db, id);
      let grid;
      if (nodeId === undefined) {
        const mine = await myGrids(db, actor, s);
        if (mine.length === 0) throw notFound('node');
        [grid] = await repo.nodesByPaths(db, [mine[0]!.path]);
      } else grid = await repo.nodeById(db, nodeId);
      if (!grid || grid.level !== 'grid' || !isWithin(grid.path, s.node_path)) throw notFound('node');
      const visits = await visitsAt(db, actor, s, grid.path);
      if (!visits && !can(actor, 'sweeps.read', grid.path)) throw forbidden();
      const [rows, c, q] = await Promise.all([
        repo.targetsOfGrid(db, id, grid.path),
        countersOf(id, [grid.path]),
        repo.findQuestionnaire(db, s.questionnaire_id),
      ]);
      const households: GridList['households'] = [];
      for (const r of rows) {
        const last = households[households.length - 1];
        if (last && r.household_id !== null && last.householdId === r.household_id) {
          last.targets.push(targetView(actor, r));
          continue;
        }
        households.push({
          householdId: r.household_id,
          address: r.household_address ?? r.address,
          targets: [targetView(actor, r)],
        });
      }
      const here = c.get(grid.path)!;
      return {
        node: { id: grid.id, name: grid.name },
        done: here.done,
        targets: here.targets,
        households,
        visit: visits && s.status === 'open',
        questionnaire: questionnaireView(q!),
      };
    },

    /** Records a visit: answers checked and classified, or not at home, moved away, refused. */
    async visit(ctx: RequestContext, id: number, targetId: number, body: z.output<typeof visitBody>) {
      const actor = actorOf(ctx);
      const s = await loadSweep(db, id);
      const t = await repo.findTarget(db, id, targetId);
      if (!t) throw notFound('sweep_target');
      // Scope before state, as everywhere: a target outside the caller's grids is refused, not hidden.
      if (!(await visitsAt(db, actor, s, t.node_path))) throw forbidden();
      if (s.status !== 'open') throw conflict('sweep.closed');
      if (t.status !== 'pending' && t.status !== 'not_home')
        throw conflict('sweep.target_done', {
          status: renderMessage(`sweep.status.${t.status}`, undefined, ctx.lang ?? DEFAULT_LANG),
        });
      let risk: repo.TargetRow['risk'] = null;
      if (body.outcome === 'answered') {
        if (!body.answers)
          throw validationFailed([
            { path: 'body.answers', message: msg('sweep.answers_required'), code: 'sweep.answers_required' },
          ]);
        const { def } = await definitionOf(db, s.questionnaire_id);
        const issues = checkAnswers(def, body.answers);
        if (issues.length > 0)
          throw validationFailed(
            issues.map((i) => ({
              path: ['body', 'answers', ...i.path].join('.'),
              message: { code: i.code, ...(i.params ? { params: i.params } : {}) } as never,
              code: i.code,
            })),
          );
        risk = classifyRisk(def, body.answers);
      } else if (body.answers !== undefined)
        throw validationFailed([
          {
            path: 'body.answers',
            message: msg('sweep.answers_not_expected'),
            code: 'sweep.answers_not_expected',
          },
        ]);
      const stored: Stored | null =
        body.outcome === 'answered' || body.note
          ? { answers: body.answers ?? {}, note: body.note ?? null }
          : null;
      const at = now();
      await db.transaction().execute(async (trx) => {
        if (!(await repo.lockOpen(trx, id))) throw conflict('sweep.closed');
        const ok = await repo.recordVisit(trx, t.id, {
          status: body.outcome,
          risk,
          // A visit with nothing to keep (not at home, no note) leaves an earlier visit's note as it was.
          ...(stored
            ? { answers_enc: pii.encrypt(JSON.stringify(stored)), questionnaire_id: s.questionnaire_id }
            : {}),
          visited_at: at,
          visited_by_user_id: actor.userId,
        });
        if (!ok) throw conflict('sweep.target_done', { status: '' });
        if (finishes(body.outcome)) {
          await countSweep(trx, { id, commandId: s.command_id }, [
            { nodePath: t.node_path, counts: { done: 1, high: risk === 'high' ? 1 : 0 } },
          ]);
        }
        await recordLive(trx, {
          kind: 'sweep.visited',
          paths: [t.node_path],
          commandId: s.command_id,
          payload: { id, targetId: t.id },
        });
        // The outcome only: the answers and the risk are health data and stay out of the audit log.
        await recordAudit(trx, ctx, {
          action: 'sweep.visit',
          entityType: 'sweep_target',
          entityId: t.id,
          nodePath: t.node_path,
          detail: { sweep: id, outcome: body.outcome },
        });
      });
      poke();
      const c = (await countersOf(id, [t.node_path])).get(t.node_path)!;
      return { target: targetView(actor, await repo.targetById(db, t.id)), done: c.done, targets: c.targets };
    },

    /**
     * Someone met on the spot who is not on the list: registered once (an ID number already in the
     * registry finds that record) and put on this grid's list, to be visited like the others.
     */
    async found(ctx: RequestContext, id: number, body: z.output<typeof foundBody>) {
      const actor = actorOf(ctx);
      const s = await loadSweep(db, id);
      const grid = await gridIn(db, s, body.gridId);
      if (!(await visitsAt(db, actor, s, grid.path))) throw forbidden();
      if (s.status !== 'open') throw conflict('sweep.closed');
      if (body.householdId != null) {
        const h = await repo.householdPath(db, body.householdId);
        if (!h || !isWithin(h.node_path, grid.path))
          throw validationFailed([
            {
              path: 'body.householdId',
              message: msg('sweep.household_elsewhere'),
              code: 'sweep.household_elsewhere',
            },
          ]);
      }
      const out = await db.transaction().execute(async (trx) => {
        if (!(await repo.lockOpen(trx, id))) throw conflict('sweep.closed');
        const person = await registerFoundPerson(trx, ctx, pii, {
          node: grid,
          name: body.name,
          idNumber: body.idNumber,
          phone: body.phone ?? null,
          address: body.address ?? null,
          householdId: body.householdId ?? null,
          at: now(),
        }).catch((e: unknown) => {
          // The same new ID number registered at this moment by another sweep's visit.
          if (isUniqueViolation(e)) throw conflict('person.duplicate');
          throw e;
        });
        // Someone registered outside this grid is not put on its list by ID number alone: that would
        // show a visitor the name of anyone in the registry. The village moves their record first.
        if (!person.created && !isWithin(person.nodePath, grid.path)) throw conflict('sweep.found_outside');
        const on = await repo.targetOfPerson(trx, id, person.id);
        if (on) {
          if (isWithin(on.node_path, grid.path))
            return { targetId: on.id, registered: false, nodePath: on.node_path };
          throw conflict('sweep.found_elsewhere');
        }
        const targetId = await repo
          .insertTarget(trx, {
            sweep_id: id,
            person_id: person.id,
            node_id: grid.id,
            node_path: grid.path,
            household_id: body.householdId ?? person.householdId,
            status: 'pending',
            risk: null,
            answers_enc: null,
            questionnaire_id: null,
            visits: 0,
            visited_at: null,
            visited_by_user_id: null,
            found: person.created ? 1 : 0,
          })
          .catch((e: unknown) => {
            // The same person put on the list at this moment by another visitor.
            if (isUniqueViolation(e)) throw conflict('sweep.found_elsewhere');
            throw e;
          });
        await countSweep(trx, { id, commandId: s.command_id }, [
          { nodePath: grid.path, counts: { targets: 1 } },
        ]);
        await recordLive(trx, {
          kind: 'sweep.visited',
          paths: [grid.path],
          commandId: s.command_id,
          payload: { id, targetId },
        });
        await recordAudit(trx, ctx, {
          action: 'sweep.found',
          entityType: 'sweep_target',
          entityId: targetId,
          nodePath: grid.path,
          detail: { sweep: id, person: person.id, registered: person.created },
        });
        return { targetId, registered: person.created, nodePath: grid.path };
      });
      poke();
      return {
        target: targetView(actor, await repo.targetById(db, out.targetId)),
        registered: out.registered,
      };
    },

    // ---------------------------------------------------------------- seconded cadres
    async pairings(ctx: RequestContext, id: number, nodeId?: number) {
      const actor = actorOf(ctx);
      const s = await loadSweep(db, id);
      const node =
        nodeId === undefined ? { path: placeIn(actor, s) ?? s.node_path } : await repo.nodeById(db, nodeId);
      if (!node || !isWithin(node.path, s.node_path)) throw notFound('node');
      assertCan(actor, 'sweeps.read', node.path);
      const rows = await repo.helpersUnder(db, id, node.path);
      // Where each is placed: at their grid or above it, not only above the sweep's root.
      const above = [...new Set(rows.flatMap((r) => ancestorPaths(r.node_path)))];
      const where = await repo.usersHoldingAt(db, above, 'sweeps.visit');
      const at = new Map<number, string>();
      for (const w of where) if (!at.has(w.id)) at.set(w.id, w.node_name);
      return {
        items: rows.map((r) => ({
          grid: { id: r.grid_id, name: r.grid_name },
          user: { id: r.user_id, name: r.display_name, node: at.get(r.user_id) ?? '' },
        })),
      };
    },
    /** Who may be paired with a grid: accounts that visit, placed at the grid or above it. */
    async helperCandidates(ctx: RequestContext, id: number, gridId: number) {
      const actor = actorOf(ctx);
      const s = await loadSweep(db, id);
      const grid = await repo.nodeById(db, gridId);
      if (!grid || grid.level !== 'grid' || !isWithin(grid.path, s.node_path)) throw notFound('node');
      assertCan(actor, 'sweeps.manage', grid.path);
      const rows = await repo.usersHoldingAt(db, ancestorPaths(grid.path), 'sweeps.visit');
      const seen = new Set<number>();
      return {
        items: rows
          .filter((r) => !seen.has(r.id) && seen.add(r.id))
          .map((r) => ({ userId: r.id, name: r.display_name, node: r.node_name })),
      };
    },
    async pair(ctx: RequestContext, id: number, body: { gridId: number; userId: number }) {
      const actor = actorOf(ctx);
      const s = await loadSweep(db, id);
      const grid = await gridIn(db, s, body.gridId);
      assertCan(actor, 'sweeps.manage', grid.path);
      assertCan(actor, 'sweeps.read', grid.path);
      if (s.status !== 'open') throw conflict('sweep.closed');
      if ((await repo.usersHoldingAt(db, ancestorPaths(grid.path), 'sweeps.visit', body.userId)).length === 0)
        throw validationFailed([
          { path: 'body.userId', message: msg('sweep.not_helper'), code: 'sweep.not_helper' },
        ]);
      const n = Number((await repo.helpersCount(db, id, grid.id)).n);
      if (n >= SWEEP_MAX_HELPERS_PER_GRID)
        throw validationFailed([
          {
            path: 'body.userId',
            message: { code: 'zod.too_big.array', params: { maximum: SWEEP_MAX_HELPERS_PER_GRID } } as never,
            code: 'too_big',
          },
        ]);
      await db.transaction().execute(async (trx) => {
        const added = await repo.insertHelper(trx, {
          sweep_id: id,
          node_id: grid.id,
          node_path: grid.path,
          user_id: body.userId,
          created_at: now(),
        });
        // Paired already: nothing changed, nothing to tell or audit.
        if (!added) return;
        await recordLive(trx, {
          kind: 'sweep.paired',
          paths: [grid.path],
          payload: { id, userId: body.userId },
        });
        await recordAudit(trx, ctx, {
          action: 'sweep.pair',
          entityType: 'sweep',
          entityId: id,
          nodePath: grid.path,
          detail: { grid: grid.id, user: body.userId },
        });
      });
      poke();
      return this.pairings(ctx, id, grid.id);
    },
    async unpair(ctx: RequestContext, id: number, body: { gridId: number; userId: number }) {
      const actor = actorOf(ctx);
      const s = await loadSweep(db, id);
      const grid = await gridIn(db, s, body.gridId);
      assertCan(actor, 'sweeps.manage', grid.path);
      assertCan(actor, 'sweeps.read', grid.path);
      await db.transaction().execute(async (trx) => {
        if (!(await repo.deleteHelper(trx, id, grid.id, body.userId))) throw notFound('sweep_pairing');
        await recordAudit(trx, ctx, {
          action: 'sweep.unpair',
          entityType: 'sweep',
          entityId: id,
          nodePath: grid.path,
          detail: { grid: grid.id, user: body.userId },
        });
      });
      return this.pairings(ctx, id, grid.id);
    },

    // ---------------------------------------------------------------- results
    /** The results of a node's targets as a workbook, one column per question; audited. */
    async exportResults(ctx: RequestContext, id: number, nodeId?: number) {
      const actor = actorOf(ctx);
      const s = await loadSweep(db, id);
      const node = nodeId === undefined ? { path: placeIn(actor, s) ?? '' } : await repo.nodeById(db, nodeId);
      if (!node || !node.path || !isWithin(node.path, s.node_path)) throw notFound('node');
      assertCan(actor, 'sweeps.read', node.path);
      const total = await repo.countUnder(db, id, node.path);
      if (total > SWEEP_EXPORT_MAX_ROWS)
        throw badRequest('event.export_too_large', { max: SWEEP_EXPORT_MAX_ROWS, total });
      const lang = ctx.lang ?? DEFAULT_LANG;
      const t = (code: MessageCode) => renderMessage(code, undefined, lang);
      const label = (code: string) => (isMessageCode(code) ? t(code) : code);
      const { def } = await definitionOf(db, s.questionnaire_id);
      const rows = await repo.resultRows(db, id, node.path, SWEEP_EXPORT_MAX_ROWS);
      const pick = (l: { zh: string; en: string }) => (lang === 'en' ? l.en : l.zh);
      const cell = (q: QuestionnaireDefinition['questions'][number], v: Answers[string] | undefined) => {
        if (v === undefined) return null;
        if (typeof v === 'boolean') return t(v ? 'export.yes' : 'export.no');
        const opt = (x: string) => {
          const o = q.options?.find((k) => k.value === x);
          return o ? pick(o.label) : x;
        };
        if (Array.isArray(v)) return v.map(opt).join('、');
        return typeof v === 'string' && q.type === 'single' ? opt(v) : v;
      };
      const buf = await writeWorkbook(
        t('export.sheet.sweep'),
        [
          ...SWEEP_EXPORT_COLUMNS.map(t),
          ...def.questions.map((q) => (q.unit ? `${pick(q.label)}（${q.unit}）` : pick(q.label))),
        ],
        rows.map((r) => {
          const a = r.answers_enc ? (JSON.parse(pii.decrypt(r.answers_enc)) as Stored) : null;
          return [
            r.grid_name,
            r.grid_code,
            r.household_address ?? r.address,
            r.name,
            r.id_number_masked,
            label(`sweep.status.${r.status}`),
            r.risk ? label(`sweep.risk.${r.risk}`) : null,
            Number(r.visits),
            r.visited_at
              ? new Date(Date.parse(r.visited_at) + 8 * 3_600_000)
                  .toISOString()
                  .slice(0, 16)
                  .replace('T', ' ')
              : null,
            r.visitor,
            t(Number(r.found) === 1 ? 'export.yes' : 'export.no'),
            a?.note ?? null,
            ...def.questions.map((q) => cell(q, a ? answerOf(a.answers, q.key) : undefined)),
          ];
        }),
      );
      await db.transaction().execute((trx) =>
        recordAudit(trx, ctx, {
          action: 'sweep.export',
          entityType: 'sweep',
          entityId: id,
          nodePath: node.path,
          detail: { rows: rows.length },
        }),
      );
      return buf;
    },

    /** Deletes the answers of sweeps whose command closed more than the retention ago, one audit row each. */
    async purgeExpired(ctx: RequestContext) {
      const at = now();
      const before = new Date(Date.parse(at) - SWEEP_RETENTION_DAYS * 86_400_000).toISOString();
      let purged = 0;
      for (const s of await repo.sweepsPastRetention(db, before))
        purged += await db.transaction().execute(async (trx) => {
          const n = await repo.purgeAnswers(trx, s.id, at);
          await recordAudit(trx, ctx, {
            action: 'sweep.purge',
            entityType: 'sweep',
            entityId: s.id,
            nodePath: s.node_path,
            detail: { answers: n, command: s.command_id, retentionDays: SWEEP_RETENTION_DAYS },
          });
          return n;
        });
      return { purged };
    },
  };
}

/** The results workbook's columns before the questions', as message codes. */
export const SWEEP_EXPORT_COLUMNS = [
  'export.sweep.grid',
  'export.sweep.grid_code',
  'export.sweep.address',
  'export.sweep.name',
  'export.sweep.id_number',
  'export.sweep.status',
  'export.sweep.risk',
  'export.sweep.visits',
  'export.sweep.visited_at',
  'export.sweep.visitor',
  'export.sweep.found',
  'export.sweep.note',
] as const satisfies readonly MessageCode[];

export type ScreeningService = ReturnType<typeof createScreeningService>;
