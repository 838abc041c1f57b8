// /service-requests/:id — one service request: what is needed, for whom (name and address only), where
// it came from, by when it must be taken, who holds it; its outcome (note, minutes, photo, the
// resident's satisfaction); matching it, the volunteer's steps, rating and cancelling as its
// abilities allow.
import { useState } from 'react';
import { useParams } from 'react-router';
import { Alert, Button, Card, Descriptions } from 'antd';
import { useTranslation } from 'react-i18next';
import { requestPhotoUrl, useServiceRequest } from '../../api/services.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { PageSpin } from '../../app/components/PageSpin.js';
import { formatMinute } from '../mediation/dates.js';
import { AssignModal } from './AssignModal.js';
import { RequestActions } from './RequestActions.js';
import { RequestStateTag, ServicesBackLink } from './labels.js';
import './services.css';

export default function RequestPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const query = useServiceRequest(id);
  const [assigning, setAssigning] = useState(false);
  const r = query.data;
  if (query.isError) return <ErrorAlert error={query.error} />;
  if (!r) return <PageSpin />;
  return (
    <div>
      <div className="linli-page-title">
        <h1 data-testid="request-head">
          {r.reference} · {t(`services.requestKind.${r.kind}`)} <RequestStateTag r={r} />
        </h1>
        <ServicesBackLink />
      </div>
      <div className="linli-svc-cardstack">
        <Card size="small">
          <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
            <Descriptions.Item label={t('services.person')}>{r.person.name}</Descriptions.Item>
            {r.person.address && (
              <Descriptions.Item label={t('services.address')}>{r.person.address}</Descriptions.Item>
            )}
            {r.contact && <Descriptions.Item label={t('services.contact')}>{r.contact}</Descriptions.Item>}
            <Descriptions.Item label={t('services.place')}>{r.node.name}</Descriptions.Item>
            <Descriptions.Item label={t('services.source')}>
              {t(`services.requestSource.${r.source}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t('services.raisedAt')}>{formatMinute(r.createdAt)}</Descriptions.Item>
            <Descriptions.Item label={t('services.respondByLabel')}>
              <span className={r.overdue ? 'linli-overdue' : undefined}>{formatMinute(r.respondBy)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('services.volunteer')}>
              <span data-testid="request-volunteer">{r.volunteer?.name ?? t('services.nobodyYet')}</span>
            </Descriptions.Item>
            {r.org && <Descriptions.Item label={t('services.org')}>{r.org.name}</Descriptions.Item>}
            {r.acceptedAt && (
              <Descriptions.Item label={t('services.acceptedAt')}>
                {formatMinute(r.acceptedAt)}
              </Descriptions.Item>
            )}
          </Descriptions>
          {r.details && <p className="linli-svc-pre">{r.details}</p>}
          {r.abilities.assign && (
            <div className="linli-svc-actions">
              <Button type="primary" onClick={() => setAssigning(true)} data-testid="request-assign">
                {r.volunteer ? t('services.reassign') : t('services.assign')}
              </Button>
            </div>
          )}
          <RequestActions r={r} />
        </Card>
        {r.status === 'done' && (
          <Card size="small" title={t('services.outcome')} data-testid="request-outcome">
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('services.doneAt')}>{formatMinute(r.doneAt)}</Descriptions.Item>
              <Descriptions.Item label={t('services.minutesSpent')}>{r.minutes}</Descriptions.Item>
              {r.satisfaction !== null && (
                <Descriptions.Item label={t('services.satisfaction')}>{r.satisfaction} / 5</Descriptions.Item>
              )}
            </Descriptions>
            {r.doneNote && <p className="linli-svc-pre">{r.doneNote}</p>}
            {r.hasPhoto && (
              <img
                src={requestPhotoUrl(r.id)}
                alt={t('services.photoAlt', { ref: r.reference })}
                style={{ maxWidth: '100%', maxHeight: 360, borderRadius: 6 }}
              />
            )}
          </Card>
        )}
        {r.status === 'cancelled' && r.cancelReason && (
          <Alert type="info" showIcon title={t('services.cancelledBecause', { reason: r.cancelReason })} />
        )}
      </div>
      {assigning && <AssignModal r={r} onClose={() => setAssigning(false)} />}
    </div>
  );
}
