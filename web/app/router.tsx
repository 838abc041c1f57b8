// Routes. Every page is a lazy chunk so antd pages, Leaflet and the rest load on demand.
import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, useRoutes, type RouteObject } from 'react-router';
import { useTranslation } from 'react-i18next';
import { RequireAuth, useAuth } from './auth.js';
import { useHome } from './useHome.js';
import { JurisdictionProvider } from './jurisdiction.js';
import { RequirePermission } from './components/RequirePermission.js';
import { PageSpin } from './components/PageSpin.js';
import { Result } from './components/LazyResult.js';
import { LiveUpdates } from './LiveUpdates.js';
import { PHONE_QUERY } from './theme.js';
import { PASSAGES_READ, PASSAGES_REGISTER } from '../features/defence/permissions.js';
import { SWEEP_PAGES } from '../features/screening/permissions.js';
import { OBSERVATION_PAGES } from '../features/observation/permissions.js';
import { HEARING_PAGES, MEDIATION_CASE, MEDIATION_PAGES } from '../features/mediation/permissions.js';
import {
  CALLOUT_PAGE,
  CARE_PAGES,
  HOURS_PAGES,
  REQUEST_PAGE,
  SERVICES_PAGES,
  VOLUNTEER_PAGES,
} from '../features/services/permissions.js';
import { COUNSELLING_PAGES } from '../features/care/permissions.js';

/**
 * The first pages people open, and the shell around them: fetched as soon as the app starts, beside
 * the sign-in check, rather than one after the other once each has rendered (bench/README.md, web).
 */
const firstLoads = {
  layout: () => import('./AppLayout.js'),
  login: () => import('../features/auth/LoginPage.js'),
  tasks: () => import('../features/events/TasksPage.js'),
  events: () => import('../features/events/EventsListPage.js'),
  cockpit: () => import('../features/command/CockpitPage.js'),
  shift: () => import('../features/defence/MyShiftPage.js'),
};

/**
 * The resident's pages, without sign-in or the shell: reporting, tracking, mediation's own links,
 * joining and asking for help, a psychological scale's one-time link.
 */
const PUBLIC_PATH = /^\/(report|track|mediate|m|sign|verify|join|help|s)(\/|$)/;

/** Starts fetching the chunks the page at `pathname` will need; React's lazy() then finds them loaded. */
export function preloadFor(pathname: string) {
  const page =
    pathname === '/login'
      ? firstLoads.login
      : pathname === '/tasks'
        ? firstLoads.tasks
        : pathname === '/events'
          ? firstLoads.events
          : pathname === '/cockpit'
            ? firstLoads.cockpit
            : pathname === '/shift'
              ? firstLoads.shift
              : null;
  if (pathname !== '/login' && !PUBLIC_PATH.test(pathname)) {
    void firstLoads.layout();
    // A desktop shows the side menu at once; a phone fetches its menus at the first press.
    if (!window.matchMedia(PHONE_QUERY).matches) void import('./ShellMenus.js');
  }
  if (page) void page();
}

const AppLayout = lazy(firstLoads.layout);
const LoginPage = lazy(firstLoads.login);
const TreePage = lazy(() => import('../features/nodes/TreePage.js'));
const UsersPage = lazy(() => import('../features/users/UsersPage.js'));
const RolesPage = lazy(() => import('../features/roles/RolesPage.js'));
const AuditPage = lazy(() => import('../features/audit/AuditPage.js'));
const AccountPage = lazy(() => import('../features/account/AccountPage.js'));
const PeopleListPage = lazy(() => import('../features/people/PeopleListPage.js'));
const PersonDetailPage = lazy(() => import('../features/people/PersonDetailPage.js'));
const PeopleImportPage = lazy(() => import('../features/people/ImportPage.js'));
const TagsPage = lazy(() => import('../features/people/TagsPage.js'));
const HouseholdsPage = lazy(() => import('../features/households/HouseholdsPage.js'));
const HouseholdDetailPage = lazy(() => import('../features/households/HouseholdDetailPage.js'));
const EventsListPage = lazy(firstLoads.events);
const EventDetailPage = lazy(() => import('../features/events/EventDetailPage.js'));
const CasesMapPage = lazy(() => import('../features/events/CasesMapPage.js'));
const TasksPage = lazy(firstLoads.tasks);
const KpiPage = lazy(() => import('../features/events/KpiPage.js'));
const EventSettingsPage = lazy(() => import('../features/events/EventSettingsPage.js'));
const PublicReportPage = lazy(() => import('../features/public/PublicReportPage.js'));
const TrackPage = lazy(() => import('../features/public/TrackPage.js'));
const NotificationsPage = lazy(() => import('../features/notifications/NotificationsPage.js'));
const CommandPage = lazy(() => import('../features/command/CommandPage.js'));
const DirectivePage = lazy(() => import('../features/command/DirectivePage.js'));
const CockpitPage = lazy(firstLoads.cockpit);
const ReportsPage = lazy(() => import('../features/reports/ReportsPage.js'));
const ReportTemplatePage = lazy(() => import('../features/reports/ReportTemplatePage.js'));
const NoticesPage = lazy(() => import('../features/notices/NoticesPage.js'));
const NoticeDetailPage = lazy(() => import('../features/notices/NoticeDetailPage.js'));
const PassageNewPage = lazy(() => import('../features/defence/PassageNewPage.js'));
const PassagesPage = lazy(() => import('../features/defence/PassagesPage.js'));
const PassageDetailPage = lazy(() => import('../features/defence/PassageDetailPage.js'));
const ObservationsPage = lazy(() => import('../features/observation/ObservationsPage.js'));
const ObservationDetailPage = lazy(() => import('../features/observation/ObservationDetailPage.js'));
const SweepsPage = lazy(() => import('../features/screening/SweepsPage.js'));
const SweepDetailPage = lazy(() => import('../features/screening/SweepDetailPage.js'));
const SweepListPage = lazy(() => import('../features/screening/SweepListPage.js'));
const RiskRulesPage = lazy(() => import('../features/defence/RiskRulesPage.js'));
const MyShiftPage = lazy(firstLoads.shift);
const CheckpointsPage = lazy(() => import('../features/defence/CheckpointsPage.js'));
const RosterPage = lazy(() => import('../features/defence/RosterPage.js'));
const MediationHomePage = lazy(() => import('../features/mediation/MediationHomePage.js'));
const CaseNewPage = lazy(() => import('../features/mediation/CaseNewPage.js'));
const CasePage = lazy(() => import('../features/mediation/CasePage.js'));
const ConfirmationsPage = lazy(() => import('../features/mediation/ConfirmationsPage.js'));
const HearingsPage = lazy(() => import('../features/mediation/HearingsPage.js'));
const MediationStatsPage = lazy(() => import('../features/mediation/StatsPage.js'));
const ApplyPage = lazy(() => import('../features/mediation/public/ApplyPage.js'));
const PartyPage = lazy(() => import('../features/mediation/public/PartyPage.js'));
const SignPage = lazy(() => import('../features/mediation/public/SignPage.js'));
const VerifyPage = lazy(() => import('../features/mediation/public/VerifyPage.js'));
const VolunteerHomePage = lazy(() => import('../features/services/VolunteerHomePage.js'));
const ServicesHomePage = lazy(() => import('../features/services/ServicesHomePage.js'));
const CalloutPage = lazy(() => import('../features/services/CalloutPage.js'));
const ServiceRequestPage = lazy(() => import('../features/services/RequestPage.js'));
const CarePage = lazy(() => import('../features/services/CarePage.js'));
const HoursPage = lazy(() => import('../features/services/HoursPage.js'));
const JoinPage = lazy(() => import('../features/services/public/JoinPage.js'));
const HelpPage = lazy(() => import('../features/services/public/HelpPage.js'));
const CareHomePage = lazy(() => import('../features/care/CareHomePage.js'));
const CareCasePage = lazy(() => import('../features/care/CareCasePage.js'));
const ScalePage = lazy(() => import('../features/care/public/ScalePage.js'));

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<PageSpin />}>{children}</Suspense>;
}

/** Each role lands on its work: its tasks, the cockpit, users… (the table is in web/app/nav.ts). */
function Home() {
  return <Navigate to={useHome()} replace />;
}

/**
 * /care is psychological care's home for those who read its caseloads (the counsellor lands there);
 * the care roster of joint services, which had the address first, is at /care/roster, and anyone else
 * who opens /care is taken there.
 */
function CareHome() {
  const { can } = useAuth();
  const { t } = useTranslation();
  if (COUNSELLING_PAGES.some((p) => can(p))) return <CareHomePage />;
  if (CARE_PAGES.some((p) => can(p))) return <Navigate to="/care/roster" replace />;
  return <Result status="403" title="403" subTitle={t('common.forbidden')} />;
}

function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title="404" subTitle={t('common.notFound')} />;
}

const routes: RouteObject[] = [
  // The resident's pages: no sign-in.
  {
    path: '/report',
    element: (
      <Lazy>
        <PublicReportPage />
      </Lazy>
    ),
  },
  {
    path: '/track/:code?',
    element: (
      <Lazy>
        <TrackPage />
      </Lazy>
    ),
  },
  // Joint mediation's public pages: a resident's application, a party's own link, the one-time
  // signing link, and the check of an agreement's PDF.
  ...(
    [
      ['/mediate', <ApplyPage key="mediate" />],
      ['/m/:token', <PartyPage key="party" />],
      ['/sign/:token', <SignPage key="sign" />],
      ['/verify', <VerifyPage key="verify" />],
      // Joint services' public pages: joining through an invitation, a resident asking for help.
      ['/join/:token', <JoinPage key="join" />],
      ['/help', <HelpPage key="help" />],
      // Psychological care: the person's own questionnaire through a one-time link.
      ['/s/:token', <ScalePage key="scale" />],
    ] as const
  ).map(([path, page]) => ({ path, element: <Lazy>{page}</Lazy> })),
  {
    path: '/login',
    element: (
      <Lazy>
        <LoginPage />
      </Lazy>
    ),
  },
  // The cockpit on a wall screen: no menu, dark, figures large.
  {
    path: '/screen',
    element: (
      <RequireAuth>
        <JurisdictionProvider>
          <Lazy>
            <div className="linli-screen-page">
              <LiveUpdates />
              <CockpitPage screen />
            </div>
          </Lazy>
        </JurisdictionProvider>
      </RequireAuth>
    ),
  },
  {
    path: '/',
    element: (
      <RequireAuth>
        <JurisdictionProvider>
          <Lazy>
            <AppLayout />
          </Lazy>
        </JurisdictionProvider>
      </RequireAuth>
    ),
    children: [
      { index: true, element: <Home /> },
      {
        path: 'tree/:id?',
        element: (
          <RequirePermission needs="nodes.read">
            <TreePage />
          </RequirePermission>
        ),
      },
      {
        path: 'people',
        element: (
          <RequirePermission needs="people.read">
            <PeopleListPage />
          </RequirePermission>
        ),
      },
      {
        path: 'people/import',
        element: (
          <RequirePermission needs="people.import">
            <PeopleImportPage />
          </RequirePermission>
        ),
      },
      {
        path: 'people/:id',
        element: (
          <RequirePermission needs="people.read">
            <PersonDetailPage />
          </RequirePermission>
        ),
      },
      {
        path: 'households',
        element: (
          <RequirePermission needs="people.read">
            <HouseholdsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'households/:id',
        element: (
          <RequirePermission needs="people.read">
            <HouseholdDetailPage />
          </RequirePermission>
        ),
      },
      {
        path: 'tags',
        element: (
          <RequirePermission needs="tags.manage">
            <TagsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'users',
        element: (
          <RequirePermission needs="users.read">
            <UsersPage />
          </RequirePermission>
        ),
      },
      {
        path: 'roles',
        element: (
          <RequirePermission needs="roles.read">
            <RolesPage />
          </RequirePermission>
        ),
      },
      {
        path: 'audit',
        element: (
          <RequirePermission needs="audit.read">
            <AuditPage />
          </RequirePermission>
        ),
      },
      { path: 'tasks', element: <TasksPage /> },
      { path: 'events', element: <EventsListPage /> },
      { path: 'events/settings', element: <EventSettingsPage /> },
      { path: 'events/map', element: <CasesMapPage /> },
      { path: 'events/:id', element: <EventDetailPage /> },
      {
        path: 'kpis',
        element: (
          <RequirePermission needs="events.read">
            <KpiPage />
          </RequirePermission>
        ),
      },
      {
        path: 'reports',
        element: (
          <RequirePermission needs="command.read">
            <ReportsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'reports/:id',
        element: (
          <RequirePermission needs="command.read">
            <ReportTemplatePage />
          </RequirePermission>
        ),
      },
      { path: 'account', element: <AccountPage /> },
      { path: 'notifications', element: <NotificationsPage /> },
      { path: 'command', element: <CommandPage /> },
      { path: 'directives/:id', element: <DirectivePage /> },
      { path: 'cockpit', element: <CockpitPage /> },
      { path: 'notices', element: <NoticesPage /> },
      { path: 'notices/:id', element: <NoticeDetailPage /> },
      // Joint defence (web/features/defence): passages, my shift, checkpoints and rosters.
      {
        path: 'passages/new',
        element: (
          <RequirePermission needs={PASSAGES_REGISTER}>
            <PassageNewPage />
          </RequirePermission>
        ),
      },
      {
        path: 'passages',
        element: (
          <RequirePermission needs={PASSAGES_READ}>
            <PassagesPage />
          </RequirePermission>
        ),
      },
      {
        path: 'passages/:id',
        element: (
          <RequirePermission needs={PASSAGES_READ}>
            <PassageDetailPage />
          </RequirePermission>
        ),
      },
      { path: 'commands/:id/risk-rules', element: <RiskRulesPage /> },
      // Home observation (web/features/observation): the place's orders and figures, one order's days.
      {
        path: 'observations',
        element: (
          <RequirePermission needs={OBSERVATION_PAGES}>
            <ObservationsPage />
          </RequirePermission>
        ),
      },
      // Screening sweeps (web/features/screening): the sweeps, a sweep's progress, a grid's list.
      ...(
        [
          ['sweeps', <SweepsPage key="sweeps" />],
          ['sweeps/:id', <SweepDetailPage key="sweep" />],
          ['sweeps/:id/list', <SweepListPage key="sweep-list" />],
        ] as const
      ).map(([path, page]) => ({
        path,
        element: <RequirePermission needs={SWEEP_PAGES}>{page}</RequirePermission>,
      })),
      {
        path: 'observations/:id',
        element: (
          <RequirePermission needs={OBSERVATION_PAGES}>
            <ObservationDetailPage />
          </RequirePermission>
        ),
      },
      {
        path: 'shift',
        element: (
          <RequirePermission needs="shifts.check_in">
            <MyShiftPage />
          </RequirePermission>
        ),
      },
      {
        path: 'checkpoints',
        element: (
          <RequirePermission needs="checkpoints.read">
            <CheckpointsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'checkpoints/roster',
        element: (
          <RequirePermission needs="checkpoints.read">
            <RosterPage />
          </RequirePermission>
        ),
      },
      // Joint mediation (web/features/mediation): cases, confirmations, hearings, statistics.
      ...(
        [
          ['mediation', MEDIATION_PAGES, <MediationHomePage key="mediation" />],
          ['mediation/new', 'mediation.intake', <CaseNewPage key="mediation-new" />],
          ['mediation/stats', 'mediation.read', <MediationStatsPage key="mediation-stats" />],
          ['mediation/cases/:id', MEDIATION_CASE, <CasePage key="mediation-case" />],
          ['confirmations', 'mediation.confirm', <ConfirmationsPage key="confirmations" />],
          ['hearings', HEARING_PAGES, <HearingsPage key="hearings" />],
        ] as const
      ).map(([path, needs, page]) => ({
        path,
        element: <RequirePermission needs={needs}>{page}</RequirePermission>,
      })),
      // Joint services (web/features/services): the volunteer's page, the coordinator's, a call-out, a
      // service request, the care roster (at /care/roster: /care is psychological care's), the hours.
      ...(
        [
          ['volunteer', VOLUNTEER_PAGES, <VolunteerHomePage key="volunteer" />],
          ['services', SERVICES_PAGES, <ServicesHomePage key="services" />],
          ['services/hours', HOURS_PAGES, <HoursPage key="service-hours" />],
          ['callouts/:id', CALLOUT_PAGE, <CalloutPage key="callout" />],
          ['service-requests/:id', REQUEST_PAGE, <ServiceRequestPage key="service-request" />],
          ['care/roster', CARE_PAGES, <CarePage key="care" />],
        ] as const
      ).map(([path, needs, page]) => ({
        path,
        element: <RequirePermission needs={needs}>{page}</RequirePermission>,
      })),
      // Psychological care (web/features/care): the counsellor's home (alerts, contacts due, the
      // caseload) and one case.
      { path: 'care', element: <CareHome /> },
      {
        path: 'care/cases/:id',
        element: (
          <RequirePermission needs={COUNSELLING_PAGES}>
            <CareCasePage />
          </RequirePermission>
        ),
      },
      { path: '*', element: <NotFound /> },
    ],
  },
];

export function AppRoutes() {
  return useRoutes(routes);
}
