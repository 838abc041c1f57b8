// Urgent alerts as the counsellor's home shows them: one red card each with the person, their place,
// when it was raised and the time left to acknowledge it (ticking), and, for counsellors, the scale,
// its total and band and the answers that raised it (item 9's text and the answer chosen). The
// Acknowledge button shows where the alert's abilities allow it; once acknowledged the person is on
// the counsellor's caseload and the card leads to the case.
import { Link } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { App, Button, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { acknowledgeAlert, useCareRefresh, type AlertView } from '../../api/care.js';
import { formatMinute } from '../mediation/dates.js';
import { useLabel } from '../../app/format.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { AckCountdown } from './labels.js';

/** The scale, total and band, and each answer that raised the alert: for counsellors only. */
export function AlertDetail({ a }: { a: AlertView }) {
  const { t } = useTranslation();
  const label = useLabel();
  const d = a.detail;
  if (!d) return null;
  const bandReason = d.reasons.some((r) => r.kind === 'band');
  return (
    <div className="linli-care-alert-detail">
      <div>
        <strong>{d.scale}</strong> {t('care.totalBand', { total: d.total, band: label(d.band.label) })}
        {bandReason && (
          <Tag color="red" style={{ marginInlineStart: 8 }}>
            {t('care.reasonBand')}
          </Tag>
        )}
      </div>
      {d.triggers.map((it) => (
        <div key={it.key} className="linli-care-trigger">
          <div>
            {t('care.itemNo', { key: it.key })}
            {label(it.label)}
          </div>
          <div className="linli-care-trigger-answer">
            {t('care.answered', { answer: it.answer ? label(it.answer) : t('care.unanswered') })}
          </div>
        </div>
      ))}
    </div>
  );
}

function OpenAlert({ a }: { a: AlertView }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useCareRefresh();
  const onError = useFormErrorHandler();
  const ack = useMutation({
    mutationFn: () => acknowledgeAlert(a.id),
    onSuccess: () => {
      void message.success(t('care.acknowledgedDone', { name: a.person.name }));
      refresh();
    },
    onError: (e) => {
      onError(e);
      refresh();
    },
  });
  return (
    <li className="linli-care-alert" data-testid={`care-alert-${a.id}`}>
      <div className="linli-care-alert-head">
        <span className="linli-care-alert-name">{a.person.name}</span>
        <Tag color="red">{t('care.urgent')}</Tag>
        {a.escalatedAt && <Tag color="volcano">{t('care.escalated')}</Tag>}
      </div>
      <div className="linli-care-meta">
        {t('care.raisedAt', { place: a.node.name, at: formatMinute(a.raisedAt) })}
      </div>
      <AckCountdown ackBy={a.ackBy} className="linli-care-countdown" />
      <AlertDetail a={a} />
      {a.abilities.acknowledge && (
        <div className="linli-care-actions">
          <Button type="primary" danger loading={ack.isPending} onClick={() => ack.mutate()}>
            {t('care.acknowledge')}
          </Button>
        </div>
      )}
    </li>
  );
}

/** The open alerts, then those acknowledged lately (each leading to its case). */
export function AlertList({ items }: { items: AlertView[] }) {
  const { t } = useTranslation();
  const open = items.filter((a) => a.status === 'open');
  const done = items.filter((a) => a.status !== 'open');
  return (
    <>
      {open.length > 0 ? (
        <ul className="linli-care-alerts" aria-label={t('care.alertsTitle')}>
          {open.map((a) => (
            <OpenAlert key={a.id} a={a} />
          ))}
        </ul>
      ) : (
        <p className="linli-muted linli-care-empty">{t('care.alertsEmpty')}</p>
      )}
      {done.length > 0 && (
        <div className="linli-care-done">
          <h3 className="linli-care-subtitle">{t('care.recentlyAcknowledged')}</h3>
          <ul className="linli-care-cards">
            {done.map((a) => (
              <li key={a.id} data-testid={`care-alert-${a.id}`}>
                <div className="linli-care-alert-head">
                  <span className="linli-care-card-name">{a.person.name}</span>
                  <Tag>{t('care.acknowledgedTag')}</Tag>
                </div>
                <div className="linli-care-meta">
                  {a.node.name}
                  {a.acknowledgedAt &&
                    ` · ${t('care.acknowledgedBy', {
                      name: a.acknowledgedBy?.name ?? '—',
                      at: formatMinute(a.acknowledgedAt),
                    })}`}
                </div>
                {a.caseId !== null && (
                  <Link to={`/care/cases/${a.caseId}`} className="linli-link-button linli-care-link">
                    {t('care.openCaseOf', { name: a.person.name })}
                  </Link>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
