// /volunteer — 志愿服务, the volunteer's home on their phone: call-outs near them, each signed up for in
// one tap; their own sign-ups, checked in and out on site; the service requests given them; the people
// they visit; their record with the hours and the certificate to download. The carer's follow-ups of
// people observed at home and their checkpoint shifts stay where they were (my tasks, 我的值班), linked
// from here and shown here too.
import { lazy, Suspense, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Card, Empty, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.js';
import {
  certificateUrl,
  useCallouts,
  useCareRoster,
  useMyVolunteer,
  useServiceRequests,
  type CalloutView,
  type RosterEntryView,
  type ServiceRequestView,
  type VolunteerView,
} from '../../api/services.js';
import { useAuth } from '../../app/auth.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { PageSpin } from '../../app/components/PageSpin.js';
import { SERVICES_LIMITS } from '../../../common/contracts/services-codes.js';
import { formatMinute } from '../mediation/dates.js';
import { CalloutActions } from './CalloutActions.js';
import { RequestActions } from './RequestActions.js';
import { VisitModal } from './VisitModal.js';
import {
  CalloutStateTag,
  RequestStateTag,
  SignupStateTag,
  SignupTimes,
  SkillTags,
  hoursText,
  spanText,
} from './labels.js';
import './services.css';

/** The carer's follow-ups of people observed at home: the same section as on my tasks. */
const ObservationTasks = lazy(() => import('../observation/ObservationTasks.js'));
const noop = () => undefined;

function Section({ title, testId, children }: { title: string; testId: string; children: React.ReactNode }) {
  return (
    <section data-testid={testId} className="linli-svc-section">
      <h2 className="linli-task-list-title">{title}</h2>
      {children}
    </section>
  );
}

function CalloutCard({ c, showMine }: { c: CalloutView; showMine: boolean }) {
  const { t } = useTranslation();
  const s = c.mine;
  return (
    <li className="linli-svc-card" data-testid={showMine ? `mine-${c.id}` : `near-${c.id}`}>
      <div className="linli-svc-card-head">
        <Link to={`/callouts/${c.id}`} className="linli-svc-card-title">
          {c.title}
        </Link>
        <CalloutStateTag c={c} />
        {showMine && s && <SignupStateTag status={s.status} />}
      </div>
      <div className="linli-svc-meta">
        {spanText(c.startsAt, c.endsAt)} · {c.meetingPoint}
      </div>
      <div className="linli-svc-meta">
        {c.node.name}
        {c.distanceKm !== null && ` · ${t('services.km', { km: c.distanceKm })}`}
        {' · '}
        <span data-testid={`filled-${c.id}`}>{t('services.filled', { n: c.filled, of: c.capacity })}</span>
      </div>
      <SkillTags skills={c.skills} />
      {showMine && s?.checkedInAt && (
        <div className="linli-svc-meta" data-testid={`times-${c.id}`}>
          <SignupTimes s={s} />
        </div>
      )}
      {showMine && s?.status === 'signed_up' && !c.abilities.checkIn && c.status === 'open' && (
        <div className="linli-svc-meta">
          {t('services.checkInWindow', { minutes: SERVICES_LIMITS.checkInEarlyMinutes })}
        </div>
      )}
      {!showMine && s && s.status !== 'withdrawn' && (
        <Tag color="blue" style={{ marginTop: 4 }}>
          {t('services.youSignedUp')}
        </Tag>
      )}
      <CalloutActions c={c} />
    </li>
  );
}

function Near() {
  const { t } = useTranslation();
  const near = useCallouts({ near: true });
  const items = near.data?.items ?? [];
  return (
    <Section title={t('services.nearTitle')} testId="callouts-near">
      {near.isError && <ErrorAlert error={near.error} />}
      {near.isSuccess && items.length === 0 && <p className="linli-muted">{t('services.nearEmpty')}</p>}
      <ul className="linli-svc-cards">
        {items.map((c) => (
          <CalloutCard key={c.id} c={c} showMine={false} />
        ))}
      </ul>
    </Section>
  );
}

function MySignups() {
  const { t } = useTranslation();
  const mine = useCallouts({ mine: true });
  // The ones still to do first; those given back stay off.
  const items = (mine.data?.items ?? []).filter((c) => c.mine && c.mine.status !== 'withdrawn');
  return (
    <Section title={t('services.mySignups')} testId="my-signups">
      {mine.isError && <ErrorAlert error={mine.error} />}
      {mine.isSuccess && items.length === 0 && <p className="linli-muted">{t('services.mySignupsEmpty')}</p>}
      <ul className="linli-svc-cards">
        {items.map((c) => (
          <CalloutCard key={c.id} c={c} showMine />
        ))}
      </ul>
    </Section>
  );
}

function TaskCard({ r }: { r: ServiceRequestView }) {
  const { t } = useTranslation();
  return (
    <li className="linli-svc-card" data-testid={`task-${r.id}`}>
      <div className="linli-svc-card-head">
        <Link to={`/service-requests/${r.id}`} className="linli-svc-card-title">
          {t(`services.requestKind.${r.kind}`)} · {r.person.name}
        </Link>
        <RequestStateTag r={r} />
      </div>
      {r.person.address && <div className="linli-svc-meta">{r.person.address}</div>}
      {r.contact && (
        <div className="linli-svc-meta">
          {t('services.contact')}: {r.contact}
        </div>
      )}
      {r.details && <div className="linli-svc-pre">{r.details}</div>}
      {r.status === 'assigned' && (
        <div className={r.overdue ? 'linli-svc-meta linli-overdue' : 'linli-svc-meta'}>
          {t('services.respondBy', { at: formatMinute(r.respondBy) })}
        </div>
      )}
      <RequestActions r={r} />
    </li>
  );
}

function MyTasks() {
  const { t } = useTranslation();
  const tasks = useServiceRequests({ mine: true, page: 1, pageSize: 50 });
  const items = (tasks.data?.items ?? []).filter((r) => r.status === 'assigned' || r.status === 'accepted');
  return (
    <Section title={t('services.myTasks')} testId="my-tasks">
      {tasks.isError && <ErrorAlert error={tasks.error} />}
      {tasks.isSuccess && items.length === 0 && <p className="linli-muted">{t('services.myTasksEmpty')}</p>}
      <ul className="linli-svc-cards">
        {items.map((r) => (
          <TaskCard key={r.id} r={r} />
        ))}
      </ul>
    </Section>
  );
}

function MyVisits() {
  const { t } = useTranslation();
  const roster = useCareRoster({ mine: true, page: 1, pageSize: 50 });
  const [visiting, setVisiting] = useState<RosterEntryView | null>(null);
  const items = roster.data?.items ?? [];
  if (roster.isSuccess && items.length === 0) return null;
  return (
    <Section title={t('services.myVisits')} testId="my-visits">
      {roster.isError && <ErrorAlert error={roster.error} />}
      <ul className="linli-svc-cards">
        {items.map((e) => (
          <li key={e.id} className="linli-svc-card" data-testid={`visit-${e.id}`}>
            <div className="linli-svc-card-head">
              <span className="linli-svc-card-title">{e.person.name}</span>
              <Tag>{t(`services.careTag.${e.tag}`)}</Tag>
              {e.overdueDays > 0 && <Tag color="red">{t('services.overdueDays', { n: e.overdueDays })}</Tag>}
            </div>
            {e.person.address && <div className="linli-svc-meta">{e.person.address}</div>}
            <div className="linli-svc-meta">
              {t('services.nextDue', { day: e.nextDueOn })}
              {e.lastVisitOn && ` · ${t('services.lastVisit', { day: e.lastVisitOn })}`}
            </div>
            {e.abilities.visit && (
              <div className="linli-svc-actions">
                <Button
                  type="primary"
                  size="large"
                  onClick={() => setVisiting(e)}
                  data-testid={`record-visit-${e.id}`}
                >
                  {t('services.recordVisit')}
                </Button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {visiting && <VisitModal entry={visiting} onClose={() => setVisiting(null)} />}
    </Section>
  );
}

function MyRecord({ v }: { v: VolunteerView }) {
  const { t } = useTranslation();
  return (
    <Card size="small" className="linli-svc-record" data-testid="my-record">
      <div className="linli-svc-record-row">
        <div>
          <div className="linli-svc-card-title">{v.name}</div>
          <div className="linli-svc-meta">
            {v.org?.name ?? t('services.noOrg')} · {v.home.name}
            {v.partyMember && ` · ${t('services.partyMember')}`}
          </div>
        </div>
        <div className="linli-svc-hours">
          <span className="linli-svc-hours-value" data-testid="my-hours">
            {hoursText(v.hours)}
          </span>
          <span className="linli-muted">{t('services.hoursUnit')}</span>
        </div>
      </div>
      <SkillTags skills={v.skills} />
      {v.noShows > 0 && (
        <div className="linli-svc-meta linli-overdue">{t('services.noShows', { n: v.noShows })}</div>
      )}
      {v.abilities.certificate && (
        <a
          href={certificateUrl(v.id)}
          download={`volunteer-certificate-${v.id}.pdf`}
          className="linli-link-button"
          data-testid="my-certificate"
        >
          {t('services.certificate')}
        </a>
      )}
    </Card>
  );
}

export default function VolunteerHomePage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const me = useMyVolunteer();
  const notVolunteer = me.isError && isApiError(me.error) && me.error.status === 404;
  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('services.volunteerTitle')}</h1>
        {can('shifts.check_in') && (
          <Link to="/shift" className="linli-link-button">
            {t('nav.shift')}
          </Link>
        )}
      </div>
      {me.isLoading && <PageSpin />}
      {me.isError && !notVolunteer && <ErrorAlert error={me.error} />}
      {notVolunteer && (
        <Alert
          type="info"
          showIcon
          title={t('services.notVolunteer')}
          description={t('services.notVolunteerHelp')}
          data-testid="not-volunteer"
          style={{ marginBottom: 16 }}
        />
      )}
      {me.data && <MyRecord v={me.data} />}
      {can('observations.follow_up') && (
        <Suspense fallback={null}>
          <ObservationTasks onCount={noop} />
        </Suspense>
      )}
      {me.data && (
        <>
          <MySignups />
          <Near />
          <MyTasks />
          <MyVisits />
        </>
      )}
      {notVolunteer && !can('observations.follow_up') && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('services.nothingHere')} />
      )}
      <Typography.Paragraph className="linli-muted" style={{ marginTop: 16 }}>
        <Link to="/tasks">{t('services.allTasks')}</Link>
      </Typography.Paragraph>
    </div>
  );
}
