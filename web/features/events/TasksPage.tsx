// /tasks — 我的待办: what waits for me (to file and dispatch, to sign for and handle, to verify),
// overdue first; refreshed every half minute. Each task is one card, tappable as a whole. Every
// account lands here or may open it: one whose roles bring no tasks (yet) is told so and offered the
// pages it can open.
import { lazy, Suspense, useState } from 'react';
import { Link } from 'react-router';
import { Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useTasks } from '../../api/events.js';
import { useDirectiveTasks } from '../../api/command.js';
import { useAuth } from '../../app/auth.js';
import { navFor } from '../../app/nav.js';
import { PriorityTag, TargetStateTag } from '../command/labels.js';
import { formatTime, useLabel } from '../../app/format.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { OverdueTag, StateTag } from './labels.js';
import { HANDOFF_TASKS } from '../defence/permissions.js';
import { CARE_ALERT_TASKS } from '../care/permissions.js';

/** Hand-offs of travellers at risk to the caller's grid: their own chunk, fetched only for those who may have some. */
const HandoffTasks = lazy(() => import('../defence/HandoffTasks.js'));
/** Follow-ups of people observed at home: their own chunk too, for those who may follow up. */
const ObservationTasks = lazy(() => import('../observation/ObservationTasks.js'));
/** Grid lists of open sweeps with people still to visit: their own chunk too, for those who visit. */
const SweepTasks = lazy(() => import('../screening/SweepTasks.js'));
/** Today's mediation sessions and follow-up visits due: their own chunk too, for those who mediate. */
const MediationTasks = lazy(() => import('../mediation/MediationTasks.js'));
/** Urgent psychological-care alerts: their own chunk too, for counsellors and the villages that follow them. */
const CareTasks = lazy(() => import('../care/CareTasks.js'));

/** What an account with nothing waiting may do instead: the other pages of its menu. */
function NothingWaiting({ hasTaskRoles }: { hasTaskRoles: boolean }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const others = navFor(can).filter((n) => n.key !== '/tasks');
  return (
    <div data-testid="tasks-empty" className="linli-tasks-empty">
      <p className="linli-tasks-empty-title">{t('events.noTasks')}</p>
      <p className="linli-muted">{hasTaskRoles ? t('events.noTasksHint') : t('events.noTaskRolesHint')}</p>
      <div className="linli-tasks-empty-links">
        {others.map((n) => (
          <Link key={n.key} to={n.key} className="linli-link-button">
            {t(n.label)}
          </Link>
        ))}
      </div>
    </div>
  );
}

export default function TasksPage() {
  const { t } = useTranslation();
  const label = useLabel();
  const { can } = useAuth();
  const handlesEvents = can('events.triage') || can('events.handle') || can('events.verify');
  const handlesDirectives = can('directives.respond') || can('directives.issue');
  const tasks = useTasks(handlesEvents);
  const directives = useDirectiveTasks(handlesDirectives);
  const directiveItems = directives.data?.items ?? [];
  const eventItems = tasks.data?.items ?? [];
  const loading = (handlesEvents && tasks.isLoading) || (handlesDirectives && directives.isLoading);
  const getsHandoffs = HANDOFF_TASKS.some((p) => can(p));
  const [handoffCount, setHandoffCount] = useState(0);
  const followsUp = can('observations.follow_up');
  const [followUpCount, setFollowUpCount] = useState(0);
  const visits = can('sweeps.visit');
  const [sweepCount, setSweepCount] = useState(0);
  const mediates = can('mediation.mediate');
  const [mediationCount, setMediationCount] = useState(0);
  const followsCare = CARE_ALERT_TASKS.some((p) => can(p));
  const [careCount, setCareCount] = useState(0);
  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('events.tasksTitle')}</h1>
      </div>
      {/* Urgent above all else: an alert not acknowledged in half an hour escalates. */}
      {followsCare && (
        <Suspense fallback={null}>
          <CareTasks onCount={setCareCount} />
        </Suspense>
      )}
      {directives.isError && <ErrorAlert error={directives.error} />}
      {directiveItems.length > 0 && (
        <section data-testid="directive-tasks" className="linli-task-list" style={{ marginBottom: 16 }}>
          <h2 className="linli-task-list-title">{t('command.tasksTitle')}</h2>
          <ul>
            {directiveItems.map((d) => (
              <li key={d.directiveId} data-testid={`directive-task-${d.directiveId}`}>
                <Link to={`/directives/${d.directiveId}`} className="linli-task">
                  <span className="linli-task-title">{d.directiveTitle}</span>
                  <span className="linli-task-tags">
                    <PriorityTag priority={d.priority} />
                    <TargetStateTag state={d.state} />
                    <OverdueTag overdue={d.overdue} />
                  </span>
                  <span className="linli-task-meta">{`${d.issuer.name} → ${d.node.name}`}</span>
                  <span className={d.overdue ? 'linli-task-meta linli-overdue' : 'linli-task-meta'}>
                    {d.state === 'pending' ? t('command.signDueAt') : t('command.reportDueAt')}:{' '}
                    {formatTime(d.state === 'pending' ? d.signDueAt : d.reportDueAt)}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {getsHandoffs && (
        <Suspense fallback={null}>
          <HandoffTasks onCount={setHandoffCount} />
        </Suspense>
      )}
      {followsUp && (
        <Suspense fallback={null}>
          <ObservationTasks onCount={setFollowUpCount} />
        </Suspense>
      )}
      {visits && (
        <Suspense fallback={null}>
          <SweepTasks onCount={setSweepCount} />
        </Suspense>
      )}
      {mediates && (
        <Suspense fallback={null}>
          <MediationTasks onCount={setMediationCount} />
        </Suspense>
      )}
      {tasks.isError && <ErrorAlert error={tasks.error} />}
      {eventItems.length === 0 &&
        directiveItems.length === 0 &&
        handoffCount === 0 &&
        followUpCount === 0 &&
        sweepCount === 0 &&
        mediationCount === 0 &&
        careCount === 0 &&
        !loading && (
          <NothingWaiting
            hasTaskRoles={
              handlesEvents ||
              handlesDirectives ||
              getsHandoffs ||
              followsUp ||
              visits ||
              mediates ||
              followsCare
            }
          />
        )}
      {(eventItems.length > 0 || (handlesEvents && tasks.isLoading)) && (
        <section data-testid="tasks" className="linli-task-list">
          <Spin spinning={handlesEvents && tasks.isLoading}>
            <ul>
              {eventItems.map((e) => (
                <li key={e.id} data-testid={`task-${e.id}`}>
                  <Link to={`/events/${e.id}`} className="linli-task">
                    <span className="linli-task-title">{e.title}</span>
                    <span className="linli-task-tags">
                      <StateTag state={e.state} />
                      <OverdueTag overdue={e.overdue} />
                    </span>
                    <span className="linli-task-meta">
                      {`${label({ zh: e.category.nameZh, en: e.category.nameEn })} · ${e.node.name} · ${e.trackingCode}`}
                    </span>
                    {e.dueAt && (
                      <span className={e.overdue ? 'linli-task-meta linli-overdue' : 'linli-task-meta'}>
                        {t('events.dueAt')}: {formatTime(e.dueAt)}
                      </span>
                    )}
                  </Link>
                </li>
              ))}
            </ul>
          </Spin>
        </section>
      )}
    </div>
  );
}
