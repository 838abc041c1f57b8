// /sweeps — 摸排: the open sweeps over, within or above my place, each with its progress at my place,
// my grids' lists (a grid worker's own, a seconded cadre's paired ones) and, for readers, the progress
// page. Those who manage sweeps start one here.
import { lazy, Suspense, useState } from 'react';
import { Link } from 'react-router';
import { Button, Card, Progress, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSweeps, type SweepView } from '../../api/screening.js';
import { useAuth } from '../../app/auth.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import './screening.css';

const StartSweepModal = lazy(() => import('./StartSweepModal.js'));

export const percent = (done: number, targets: number) => (targets ? Math.floor((done / targets) * 100) : 0);

export function SweepCard({ s }: { s: SweepView }) {
  const { t } = useTranslation();
  return (
    <Card size="small" className="linli-sweep-card" data-testid={`sweep-${s.id}`}>
      <div className="linli-sweep-head">
        <strong>{s.name}</strong>
        {s.status === 'closed' && <Tag>{t('sweep.closed')}</Tag>}
      </div>
      <div className="linli-muted">
        {s.node.name} · {s.command.name} · {t('sweep.deadlineOn', { date: s.deadline })}
      </div>
      <Progress
        percent={percent(s.done, s.targets)}
        format={() => `${s.done}/${s.targets}`}
        aria-label={t('sweep.progress')}
        data-testid={`sweep-progress-${s.id}`}
      />
      <div className="linli-sweep-actions">
        {s.myGrids.map((g) => (
          <Link
            key={g.id}
            to={`/sweeps/${s.id}/list?node=${g.id}`}
            className="linli-link-button"
            data-testid={`sweep-mylist-${s.id}-${g.id}`}
          >
            {s.myGrids.length > 1 ? `${t('sweep.myList')} · ${g.name}` : t('sweep.myList')}
          </Link>
        ))}
        {s.abilities.export && (
          <Link to={`/sweeps/${s.id}`} className="linli-link-button" data-testid={`sweep-open-${s.id}`}>
            {t('sweep.openProgress')}
          </Link>
        )}
      </div>
    </Card>
  );
}

export default function SweepsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const sweeps = useSweeps();
  const [starting, setStarting] = useState(false);
  const items = sweeps.data?.items ?? [];
  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('sweep.listTitle')}</h1>
        {can('sweeps.manage') && (
          <Button type="primary" onClick={() => setStarting(true)} data-testid="sweep-start">
            {t('sweep.start')}
          </Button>
        )}
      </div>
      {sweeps.isError && <ErrorAlert error={sweeps.error} />}
      {sweeps.isSuccess && items.length === 0 && <p className="linli-muted">{t('sweep.empty')}</p>}
      <div className="linli-sweep-cards" data-testid="sweeps">
        {items.map((s) => (
          <SweepCard key={s.id} s={s} />
        ))}
      </div>
      {starting && (
        <Suspense fallback={null}>
          <StartSweepModal onClose={() => setStarting(false)} />
        </Suspense>
      )}
    </div>
  );
}
