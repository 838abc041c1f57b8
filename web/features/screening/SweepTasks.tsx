// My tasks' door-to-door screening (loaded with this chunk only for those who visit): one card per grid
// list of an open sweep that still has people to visit, tapping it opens the list. A 403 shows nothing.
import { useEffect } from 'react';
import { Link } from 'react-router';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.js';
import { useSweeps } from '../../api/screening.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';

export default function SweepTasks({ onCount }: { onCount: (n: number) => void }) {
  const { t } = useTranslation();
  const sweeps = useSweeps();
  const items = (sweeps.data?.items ?? []).flatMap((s) =>
    s.status === 'open' && s.done < s.targets ? s.myGrids.map((g) => ({ s, g })) : [],
  );
  const count = items.length;
  useEffect(() => onCount(count), [count, onCount]);
  if (sweeps.isError)
    return isApiError(sweeps.error) && sweeps.error.status === 403 ? null : (
      <ErrorAlert error={sweeps.error} />
    );
  if (items.length === 0) return null;
  return (
    <section data-testid="sweep-tasks" className="linli-task-list" style={{ marginBottom: 16 }}>
      <h2 className="linli-task-list-title">{t('sweep.tasksTitle')}</h2>
      <ul>
        {items.map(({ s, g }) => (
          <li key={`${s.id}-${g.id}`} data-testid={`sweep-task-${s.id}-${g.id}`}>
            <Link to={`/sweeps/${s.id}/list?node=${g.id}`} className="linli-task">
              <span className="linli-task-title">{s.name}</span>
              <span className="linli-task-tags">
                <Tag color="blue">{t('sweep.remaining', { n: s.targets - s.done })}</Tag>
              </span>
              <span className="linli-task-meta">
                {t('sweep.tasksMeta', { grid: g.name, done: s.done, targets: s.targets, date: s.deadline })}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
