// buildApp: platform plugins, then modules. Never listens; main.ts and the tests do that.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteAccess } from '../common/permissions.js';
import { clientConfig } from '../common/contracts/shared.js';
import type { AppConfig } from './config.js';
import { nowIso, type DatabaseHandle } from './db/index.js';
import { authPlugin } from './platform/auth.js';
import { securityHeaders } from './platform/security-headers.js';
import { frameworkErrorHandler, registerErrorHandler } from './platform/error-handler.js';
import { rejectNulCharacters, strictJsonBodies } from './platform/input-hygiene.js';
import { auditDeniedAttempts } from './platform/denied-audit.js';
import { createLiveBus, type LiveBus } from './platform/live-bus.js';
import {
  accountsRoutes,
  createAuthService,
  createLoginThrottles,
  createRolesService,
  createUsersService,
} from './modules/accounts/index.js';
import { auditRoutes, createAuditService } from './modules/audit/index.js';
import { createNodesService, nodesRoutes } from './modules/nodes/index.js';
import { createPeopleImporter, createPeopleService, peopleRoutes } from './modules/people/index.js';
import {
  createEventsAdminService,
  createEventsExportService,
  createEventsMapService,
  createEventsService,
  eventPhotoRoutes,
  eventsRoutes,
  eventViewsRoutes,
  type EventsService,
} from './modules/events/index.js';
import { createNotificationsService, notificationsRoutes } from './modules/notifications/index.js';
import { createOpen311Service, open311Routes } from './modules/open311/index.js';
import {
  commandRoutes,
  createCockpitService,
  createCommandsService,
  createDirectiveFilesService,
  createDirectivesService,
  directiveFileRoutes,
  type DirectivesService,
} from './modules/command/index.js';
import { createReportsService, reportCompletion, reportsRoutes } from './modules/reports/index.js';
import { createNoticesService, noticesRoutes } from './modules/notices/index.js';
import { createStreamService, streamRoutes } from './modules/stream/index.js';
import {
  createPassagesService,
  createRostersService,
  defenceRoutes,
  passagesRoutes,
  type PassagesService,
} from './modules/defence/index.js';
import { careRoutes, createCareService, type CareService } from './modules/care/index.js';
import {
  createObservationService,
  observationRoutes,
  type ObservationService,
} from './modules/observation/index.js';
import { createScreeningService, screeningRoutes, type ScreeningService } from './modules/screening/index.js';
import { createMediationService, mediationRoutes } from './modules/mediation/index.js';
import { createServicesService, servicesRoutes, type ServicesService } from './modules/services/index.js';
import type { PiiCipher } from './platform/pii.js';
import { loadAuditKeyring, type AuditKeyring } from './platform/audit-key.js';
import { openAnchorLog } from './platform/audit-anchors.js';
import { useAuditKeyring } from './platform/audit.js';

/** The CSP source a tile URL template loads from: its origin, with `*.` for a {s} subdomain. */
function tileSource(template: string): string {
  const url = new URL(template.replace(/\{-?[a-z]\}/g, 'a'));
  return /^https?:\/\/\{s\}\./.test(template) ? `${url.protocol}//*.${url.host.slice(2)}` : url.origin;
}

export interface AppDeps {
  database: DatabaseHandle;
  /** Encrypts and indexes personal data at rest. */
  pii: PiiCipher;
  /** The audit chain's key; unset: loaded as the configuration says (AUDIT_KEY or DATA_DIR/audit.key). */
  auditKeyring?: AuditKeyring;
  /** Requests per minute per client on the login route. */
  loginRateLimit?: number;
  /** Requests per minute per client on the resident's public report and tracking routes. */
  publicRateLimit?: number;
  /** Requests per minute per client on the report form's place look-ups (asked as the resident types). */
  publicLookupRateLimit?: number;
  /** The time deadlines and the sweep read; tests move it forward. */
  clock?: () => string;
  /** How often open live streams check that their sessions are still signed in (tests shorten it). */
  liveSessionCheckMs?: number;
  /** How often every open live stream gets a heartbeat comment (tests shorten it). */
  liveHeartbeatMs?: number;
}

export interface RegisteredRoute {
  method: string;
  url: string;
  access: RouteAccess | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route as registered, with its declared access: the permission test enumerates these. */
    linliRoutes: RegisteredRoute[];
    /** The events service, for the scheduler's escalation sweep. */
    linliEvents: EventsService;
    /** The directives service, for the scheduler's overdue sweep. */
    linliDirectives: DirectivesService;
    linliPassages: PassagesService;
    /** Home observation, for the scheduler's morning sweep of missed follow-ups. */
    linliObservation: ObservationService;
    /** Joint services, for the scheduler's escalation sweep and the care roster's daily sync. */
    linliServices: ServicesService;
    linliScreening: ScreeningService;
    /** Psychological care, for the scheduler's sweep of unacknowledged crisis alerts. */
    linliCare: CareService;
    /** The live-update bus: services poke it after a commit that recorded a live update. */
    linliLive: LiveBus;
  }
}

/** The router's limit on one path parameter (find-my-way's default): ids, codes and refs fit well inside. */
export const MAX_PARAM_LENGTH = 100;

// Routes that plugins register (API viewer, static web files) are public by being listed here, in one place.
const PUBLIC_PREFIXES = ['/api/docs'];

export async function buildApp(config: AppConfig, deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'],
            // Query strings may carry an ID or phone number being searched for: the log keeps the path only.
            serializers: {
              req: (req: { method: string; url: string; ip?: string }) => ({
                method: req.method,
                url: req.url.split('?')[0],
                remoteAddress: req.ip,
              }),
            },
          },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    // Bad percent-encoding and over-long parameters leave through the problem mapper too.
    frameworkErrors: frameworkErrorHandler,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('linliRoutes', [] as RegisteredRoute[]);
  app.addHook('onRoute', (route) => {
    if (PUBLIC_PREFIXES.some((p) => route.url.startsWith(p)) || !route.url.startsWith('/api')) {
      route.config = { ...(route.config ?? {}), access: route.config?.access ?? 'public' };
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods)
      app.linliRoutes.push({ method: m, url: route.url, access: route.config?.access });
  });
  app.addHook('onSend', (req, reply, payload, done) => {
    reply.header('x-request-id', req.id);
    done(null, payload);
  });

  const webIndex = path.join(config.webDir, 'index.html');
  const hasWeb = fs.existsSync(webIndex);
  registerErrorHandler(app, { spaFallback: hasWeb });
  rejectNulCharacters(app);
  auditDeniedAttempts(app, { db: deps.database.db, perUser: config.auditDeniedPerUser });
  strictJsonBodies(app);

  securityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: [
          "'self'",
          'data:',
          'blob:',
          // A tile server of its own origin (any of its {s} subdomains); tiles under this server's
          // origin need nothing more.
          ...(/^https?:\/\//.test(config.mapTileUrl) ? [tileSource(config.mapTileUrl)] : []),
        ],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: false,
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(multipart, {
    limits: { fileSize: config.uploadLimitBytes, files: 1, fields: 10, fieldSize: 1000 },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Linli 邻里 API',
        version: '0.1.0',
        description: 'Grassroots social-governance platform',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'linli_session' },
          apiKey: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  if (hasWeb)
    await app.register(fastifyStatic, {
      root: config.webDir,
      wildcard: false,
      index: ['index.html'],
      // The build writes .br and .gz copies beside the files (vite.config.ts): sent as the browser
      // accepts, nothing compressed while serving (ADR 0013).
      preCompressed: true,
      // Files under assets/ carry their content's hash in their names: cached for a year. The index
      // page, which names them, is asked for again each time.
      setHeaders: (reply, file) => {
        if (path.relative(config.webDir, file).startsWith(`assets${path.sep}`))
          reply.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });

  const { db } = deps.database;
  const auditKeyring =
    deps.auditKeyring ??
    loadAuditKeyring({ auditKey: config.auditKey, dataDir: config.dataDir }, (m) => app.log.warn(m));
  useAuditKeyring(auditKeyring);
  // Live updates: services record them in their transaction and poke this bus after commit.
  const live = createLiveBus(deps.database, {
    onError: (err, where) => app.log.error({ err, where }, 'live bus'),
  });
  app.addHook('onClose', async () => live.close());
  await live.ready();
  app.decorate('linliLive', live);
  await app.register(authPlugin, {
    db,
    reader: deps.database.reader,
    sessionTtlHours: config.sessionTtlHours,
  });

  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['platform'],
        response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']) }) },
      },
    },
    async () => {
      await db.selectFrom('nodes').select('id').limit(1).execute();
      return { status: 'ok' as const, database: deps.database.dialect };
    },
  );
  r.get(
    '/api/config',
    {
      config: { access: 'public' },
      schema: { tags: ['platform'], response: { 200: clientConfig } },
    },
    () => ({
      mapTileUrl: config.mapTileUrl,
    }),
  );
  r.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, () => app.swagger());

  const nodes = createNodesService({ db });
  const publicLookupRateLimit = deps.publicLookupRateLimit ?? 120;
  nodesRoutes(app, nodes, { publicLookupRateLimit });
  // Sign-in throttles read the same clock as the tests that move it past a delay.
  const throttles = createLoginThrottles({ db, config, now: deps.clock ?? nowIso });
  accountsRoutes(
    app,
    {
      auth: createAuthService({ db, config, throttles }),
      throttles,
      users: createUsersService({ db, now: deps.clock ?? nowIso }),
      roles: createRolesService({ db }),
    },
    { loginRateLimit: deps.loginRateLimit ?? 30 },
  );
  auditRoutes(app, createAuditService({ db, anchors: openAnchorLog(config.auditAnchorDir) }));
  peopleRoutes(
    app,
    createPeopleService({ db, pii: deps.pii }),
    createPeopleImporter({ db, pii: deps.pii, batchRows: config.importBatchRows }),
  );
  // Services that record live updates poke this process's bus after they commit.
  const clock = deps.clock ? { now: deps.clock } : {};
  const events = createEventsService({ db, reader: deps.database.reader, pii: deps.pii, live, ...clock });
  eventsRoutes(
    app,
    events,
    createEventsAdminService({ db, onConfigChange: () => events.invalidateCaches() }),
    { publicRateLimit: deps.publicRateLimit ?? 20, publicLookupRateLimit },
  );
  eventPhotoRoutes(app, events, { publicRateLimit: deps.publicRateLimit ?? 20 });
  await open311Routes(app, createOpen311Service({ db, events, ...clock }), {
    publicRateLimit: deps.publicRateLimit ?? 20,
  });
  eventViewsRoutes(
    app,
    createEventsExportService({ db, ...clock }),
    createEventsMapService({ db, ...clock }),
  );
  notificationsRoutes(app, createNotificationsService({ db }));
  app.decorate('linliEvents', events);
  const directives = createDirectivesService({ db, live, ...clock });
  commandRoutes(app, {
    commands: createCommandsService({ db, live, ...clock }),
    directives,
    cockpit: createCockpitService({ db, ...clock, reportCompletion }),
  });
  directiveFileRoutes(
    app,
    createDirectiveFilesService({ db, ...clock, visible: (ctx, id) => directives.visible(ctx, id) }),
  );
  app.decorate('linliDirectives', directives);
  reportsRoutes(app, createReportsService({ db, live, ...clock }));
  noticesRoutes(app, createNoticesService({ db, live, ...clock }));
  defenceRoutes(app, { rosters: createRostersService({ db, ...clock }) });
  const passages = createPassagesService({ db, pii: deps.pii, ...clock });
  passagesRoutes(app, { passages });
  app.decorate('linliPassages', passages);
  const services = createServicesService({ db, pii: deps.pii, live, ...clock });
  servicesRoutes(app, { services }, { publicRateLimit: deps.publicRateLimit ?? 20 });
  app.decorate('linliServices', services);
  const observation = createObservationService({
    db,
    pii: deps.pii,
    live,
    ...clock,
    raiseNeed: (trx, ctx, b) => services.raiseFromFollowUp(trx, ctx, b),
  });
  observationRoutes(app, { observation });
  app.decorate('linliObservation', observation);
  const screening = createScreeningService({ db, pii: deps.pii, live, ...clock });
  screeningRoutes(app, { screening });
  app.decorate('linliScreening', screening);
  const care = createCareService({ db, pii: deps.pii, live, ...clock });
  careRoutes(app, { care }, { publicRateLimit: deps.publicRateLimit ?? 20 });
  app.decorate('linliCare', care);
  mediationRoutes(
    app,
    // A dispute event handed to mediation, and back: the events service, in the case's transaction.
    { mediation: createMediationService({ db, pii: deps.pii, events, live, ...clock }) },
    {
      publicRateLimit: deps.publicRateLimit ?? 20,
    },
  );
  streamRoutes(
    app,
    createStreamService({
      db,
      live,
      ...(deps.liveSessionCheckMs ? { sessionCheckMs: deps.liveSessionCheckMs } : {}),
    }),
    deps.liveHeartbeatMs ? { heartbeatMs: deps.liveHeartbeatMs } : {},
  );
  return app;
}
