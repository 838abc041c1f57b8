// /mediation/cases/:id — one case, its steps one card after another: who and what (dossier number,
// state, facts and claims), the parties and their consent, designating the mediator, the sessions and
// their minutes, the messages, the evidence, the agreement and its signing and confirmation, ending or
// moving the case, and the follow-up visits. Each action shows only when the case's abilities allow it.
import { useEffect } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { Alert, Card, Descriptions, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMediationCase, type CaseView } from '../../api/mediation.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { PageSpin } from '../../app/components/PageSpin.js';
import { AgreementCard } from './AgreementCard.js';
import { AssignCard } from './AssignCard.js';
import { CaseParties } from './CaseParties.js';
import { ConcludeCard } from './ConcludeCard.js';
import { EvidenceCard } from './EvidenceCard.js';
import { FollowUpsCard } from './FollowUpsCard.js';
import { MessagesCard } from './MessagesCard.js';
import { SessionsCard } from './SessionsCard.js';
import { formatMinute } from './dates.js';
import { CaseStateTag } from './labels.js';
import './mediation.css';

function Head({ c }: { c: CaseView }) {
  const { t } = useTranslation();
  return (
    <Card size="small" data-testid="case-head">
      <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
        <Descriptions.Item label={t('mediation.disputeType')}>
          {t(`mediation.type.${c.disputeType}`)}
        </Descriptions.Item>
        <Descriptions.Item label={t('mediation.source')}>
          {t(`mediation.sourceLabel.${c.source}`)}
        </Descriptions.Item>
        <Descriptions.Item label={t('mediation.place')}>{c.node.name}</Descriptions.Item>
        <Descriptions.Item label={t('mediation.org')}>{c.org.name}</Descriptions.Item>
        <Descriptions.Item label={t('mediation.mediator')}>
          <span data-testid="case-mediator">{c.mediator?.name ?? t('mediation.noMediator')}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('mediation.receivedAt')}>{formatMinute(c.receivedAt)}</Descriptions.Item>
        {c.amountYuan !== null && (
          <Descriptions.Item label={t('mediation.amount')}>
            {t('mediation.yuanN', { n: c.amountYuan.toLocaleString() })}
          </Descriptions.Item>
        )}
        {c.nextSessionAt && (
          <Descriptions.Item label={t('mediation.nextSession')}>
            {formatMinute(c.nextSessionAt)}
          </Descriptions.Item>
        )}
        {c.concludedAt && (
          <Descriptions.Item label={t('mediation.concludedAt')}>
            {formatMinute(c.concludedAt)}
          </Descriptions.Item>
        )}
        {c.eventId !== null && (
          <Descriptions.Item label={t('mediation.fromEvent')}>
            <Link to={`/events/${c.eventId}`}>#{c.eventId}</Link>
          </Descriptions.Item>
        )}
      </Descriptions>
      <Typography.Paragraph style={{ margin: '8px 0 4px' }}>
        <Typography.Text type="secondary">{t('mediation.facts')}</Typography.Text>
        <br />
        <span className="linli-med-pre">{c.facts}</span>
      </Typography.Paragraph>
      <Typography.Paragraph style={{ margin: 0 }}>
        <Typography.Text type="secondary">{t('mediation.claims')}</Typography.Text>
        <br />
        <span className="linli-med-pre">{c.claims}</span>
      </Typography.Paragraph>
      {(c.failureRoute || c.conclusionNote) && (
        <Alert
          type={c.status === 'failed' || c.status === 'refused' ? 'warning' : 'info'}
          showIcon
          style={{ marginTop: 8 }}
          title={
            c.failureRoute
              ? t('mediation.failedRoute', { route: t(`mediation.route.${c.failureRoute}`) })
              : t(`mediation.status.${c.status}`)
          }
          description={c.conclusionNote ?? undefined}
          data-testid="case-conclusion"
        />
      )}
    </Card>
  );
}

export default function CasePage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const { hash } = useLocation();
  const query = useMediationCase(id);
  const c = query.data;
  // A link to a part of the case (#sessions, #follow-ups) scrolls to it once the case is shown.
  const loaded = c !== undefined;
  useEffect(() => {
    if (loaded && hash) document.getElementById(hash.slice(1))?.scrollIntoView();
  }, [loaded, hash]);
  if (query.isError) return <ErrorAlert error={query.error} />;
  if (!c) return <PageSpin />;
  const mediating = c.abilities.messages;
  return (
    <div>
      <div className="linli-page-title">
        <h1 data-testid="case-dossier">
          {c.dossierNo} <CaseStateTag status={c.status} />
          {c.caucus && <Tag color="orange">{t('mediation.caucus')}</Tag>}
        </h1>
        <Link to="/mediation" className="linli-link-button">
          {t('mediation.homeTitle')}
        </Link>
      </div>
      <p className="linli-muted" style={{ marginTop: -8 }}>
        {c.title}
      </p>
      <div className="linli-mediation-cards">
        <Head c={c} />
        <CaseParties c={c} />
        {c.abilities.assign && <AssignCard c={c} />}
        {(c.sessions.length > 0 || c.abilities.schedule) && <SessionsCard c={c} />}
        {mediating && <MessagesCard c={c} />}
        {(c.evidence.length > 0 || c.abilities.evidence) && <EvidenceCard c={c} />}
        <AgreementCard c={c} />
        <ConcludeCard c={c} />
        <FollowUpsCard c={c} />
      </div>
    </div>
  );
}
