// My tasks' urgent psychological-care alerts (loaded with this chunk only for counsellors and for the
// village that follows alerts), at the very top of the page: one red card per open alert with the
// person, the place and the time left to acknowledge it. A counsellor's card shows the scale, total and
// band and opens /care, where it is acknowledged; the village's shows neither the answers nor the
// scores (the server sends none) and opens nothing. A 403 shows nothing.
import { useEffect } from 'react';
import { Link } from 'react-router';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.js';
import { useCareAlerts, type AlertView } from '../../api/care.js';
import { useAuth } from '../../app/auth.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { useLabel } from '../../app/format.js';
import { formatMinute } from '../mediation/dates.js';
import { AckCountdown } from './labels.js';
import './care.css';

function Body({ a }: { a: AlertView }) {
  const { t } = useTranslation();
  const label = useLabel();
  return (
    <>
      <span className="linli-task-title">{a.person.name}</span>
      <span className="linli-task-tags">
        <Tag color="red">{t('care.urgent')}</Tag>
        {a.escalatedAt && <Tag color="volcano">{t('care.escalated')}</Tag>}
        {a.detail && (
          <Tag color="red">
            {a.detail.scale}{' '}
            {t('care.totalBand', { total: a.detail.total, band: label(a.detail.band.label) })}
          </Tag>
        )}
      </span>
      <span className="linli-task-meta">
        {t('care.raisedAt', { place: a.node.name, at: formatMinute(a.raisedAt) })}
      </span>
      <AckCountdown ackBy={a.ackBy} className="linli-task-meta linli-care-countdown-small" />
    </>
  );
}

export default function CareTasks({ onCount }: { onCount: (n: number) => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const alerts = useCareAlerts();
  const items = (alerts.data?.items ?? []).filter((a) => a.status === 'open');
  const count = items.length;
  useEffect(() => onCount(count), [count, onCount]);
  if (alerts.isError)
    return isApiError(alerts.error) && alerts.error.status === 403 ? null : (
      <ErrorAlert error={alerts.error} />
    );
  if (count === 0) return null;
  const opens = can('counselling.read');
  return (
    <section
      data-testid="care-tasks"
      className="linli-task-list linli-care-urgent"
      style={{ marginBottom: 16 }}
      aria-labelledby="care-tasks-title"
    >
      <h2 className="linli-task-list-title" id="care-tasks-title">
        {t('care.tasksTitle')}
      </h2>
      <ul>
        {items.map((a) => (
          <li key={a.id} data-testid={`care-task-${a.id}`}>
            {opens ? (
              <Link to="/care" className="linli-task">
                <Body a={a} />
              </Link>
            ) : (
              <div className="linli-task">
                <Body a={a} />
              </div>
            )}
          </li>
        ))}
      </ul>
      {!opens && <p className="linli-muted linli-care-empty">{t('care.tasksVillageHelp')}</p>}
    </section>
  );
}
