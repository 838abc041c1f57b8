// My tasks' home observation (loaded with this chunk only for those who may have some): first the
// alerts of people seen unwell not yet handled (the village's managers, the doctors), then one card per
// order with a follow-up due, the oldest day first; tapping one opens the order, where the day is
// recorded or the alert handled. Yesterday's stays until the morning sweep flags it missed. A 403
// shows nothing.
import { useEffect } from 'react';
import { Link } from 'react-router';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.js';
import { useObservationTasks } from '../../api/observations.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';

export default function ObservationTasks({ onCount }: { onCount: (n: number) => void }) {
  const { t } = useTranslation();
  const tasks = useObservationTasks();
  const items = tasks.data?.items ?? [];
  const count = items.length;
  useEffect(() => onCount(count), [count, onCount]);
  if (tasks.isError)
    return isApiError(tasks.error) && tasks.error.status === 403 ? null : <ErrorAlert error={tasks.error} />;
  if (items.length === 0) return null;
  return (
    <section data-testid="observation-tasks" className="linli-task-list" style={{ marginBottom: 16 }}>
      <h2 className="linli-task-list-title">{t('observation.tasksTitle')}</h2>
      <ul>
        {items.map((o) => (
          <li
            key={`${o.kind}-${o.observationId}-${o.date}`}
            data-testid={
              o.kind === 'unwell'
                ? `observation-alert-${o.observationId}`
                : `observation-task-${o.observationId}`
            }
          >
            <Link to={`/observations/${o.observationId}?date=${o.date}`} className="linli-task">
              <span className="linli-task-title">{o.person.name}</span>
              <span className="linli-task-tags">
                {o.kind === 'unwell' ? (
                  <Tag color="red">{t('observation.unwellAlert', { date: o.date })}</Tag>
                ) : o.upcoming ? (
                  <Tag color="geekblue">{t('observation.startsOn', { date: o.date })}</Tag>
                ) : o.overdue ? (
                  <Tag color="red">{t('observation.yesterdayDue', { date: o.date })}</Tag>
                ) : (
                  <Tag color="blue">{t('observation.todayDue')}</Tag>
                )}
                {o.carer && <Tag>{t('observation.youCare')}</Tag>}
              </span>
              <span className="linli-task-meta">
                {o.node.name} · {t('observation.until', { date: o.endDate })}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
