// My tasks' mediation (loaded with this chunk only for those who mediate): today's sessions and the
// follow-up visits due by today, each a card tapped whole that opens the case. A 403 shows nothing.
import { useEffect } from 'react';
import { Link } from 'react-router';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.js';
import { useAgenda, useFollowUps } from '../../api/mediation.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { formatHm, shanghaiDay } from './dates.js';
import { useModeLabel } from './labels.js';

const quiet = (e: unknown) => isApiError(e) && e.status === 403;

export default function MediationTasks({ onCount }: { onCount: (n: number) => void }) {
  const { t } = useTranslation();
  const modeLabel = useModeLabel();
  const agenda = useAgenda();
  const followUps = useFollowUps();
  const today = shanghaiDay();
  const sessions = agenda.data?.items ?? [];
  const due = (followUps.data?.items ?? []).filter((f) => f.status === 'due' && f.dueOn <= today);
  const count = sessions.length + due.length;
  useEffect(() => onCount(count), [count, onCount]);
  const error = [agenda.error, followUps.error].find((e) => e && !quiet(e));
  if (error) return <ErrorAlert error={error} />;
  if (count === 0) return null;
  return (
    <section data-testid="mediation-tasks" className="linli-task-list" style={{ marginBottom: 16 }}>
      <h2 className="linli-task-list-title">{t('mediation.tasksTitle')}</h2>
      <ul>
        {sessions.map((s) => (
          <li key={`s-${s.id}`} data-testid={`mediation-task-session-${s.id}`}>
            <Link to={`/mediation/cases/${s.caseId}#sessions`} className="linli-task">
              <span className="linli-task-title">{s.title}</span>
              <span className="linli-task-tags">
                <Tag color="blue">{t('mediation.sessionAt', { at: formatHm(s.startsAt) })}</Tag>
              </span>
              <span className="linli-task-meta">
                {s.dossierNo} · {modeLabel(s.mode)}
              </span>
            </Link>
          </li>
        ))}
        {due.map((f) => (
          <li key={`f-${f.id}`} data-testid={`mediation-task-follow-up-${f.id}`}>
            <Link to={`/mediation/cases/${f.caseId}#follow-ups`} className="linli-task">
              <span className="linli-task-title">{f.dossierNo}</span>
              <span className="linli-task-tags">
                <Tag color={f.dueOn < today ? 'red' : 'gold'}>{t('mediation.followUpTask')}</Tag>
              </span>
              <span className={f.dueOn < today ? 'linli-task-meta linli-overdue' : 'linli-task-meta'}>
                {t('mediation.followUpDueOn', { date: f.dueOn })}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
