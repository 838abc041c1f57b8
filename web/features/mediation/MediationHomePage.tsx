// /mediation — 调解案件, the mediator's home: today's sessions, follow-up visits due, and the caseload
// (their own cases; for someone without any, the cases of their places), filtered by state. Those who
// receive disputes register a new one here.
import { useEffect, useState, type HTMLAttributes } from 'react';
import { Link, useNavigate } from 'react-router';
import { Card, Segmented, Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.js';
import {
  useAgenda,
  useFollowUps,
  useMediationCases,
  type CaseState,
  type CaseSummary,
} from '../../api/mediation.js';
import { useAuth } from '../../app/auth.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { FilterBar } from '../../app/components/FilterBar.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';
import { CASE_STATES } from '../../../common/contracts/mediation-codes.js';
import { addDays, formatHm, formatMinute, shanghaiDay } from './dates.js';
import { CaseStateTag, useModeLabel } from './labels.js';
import './mediation.css';

/** Today's sessions: each a card tapped whole, opening the case. */
function Agenda() {
  const { t } = useTranslation();
  const agenda = useAgenda();
  const modeLabel = useModeLabel();
  const items = agenda.data?.items ?? [];
  return (
    <section data-testid="mediation-agenda" className="linli-task-list" style={{ marginBottom: 16 }}>
      <h2 className="linli-task-list-title">{t('mediation.agendaTitle')}</h2>
      {agenda.isError && <ErrorAlert error={agenda.error} />}
      {agenda.isSuccess && items.length === 0 && (
        <p className="linli-muted" style={{ padding: '8px 4px', margin: 0 }}>
          {t('mediation.agendaEmpty')}
        </p>
      )}
      <ul>
        {items.map((s) => (
          <li key={s.id} data-testid={`agenda-${s.id}`}>
            <Link to={`/mediation/cases/${s.caseId}#sessions`} className="linli-task">
              <span className="linli-task-title">
                {formatHm(s.startsAt)} · {s.title}
              </span>
              <span className="linli-task-meta">
                {s.dossierNo} · {modeLabel(s.mode)}
                {s.point && ` · ${s.point.name}`}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** How far ahead the home lists follow-up visits; later ones are counted only. */
const FOLLOW_UP_AHEAD_DAYS = 7;

/** Follow-up visits still to make up to a week ahead, the earliest first; past due in red. */
function FollowUpsDue() {
  const { t } = useTranslation();
  const followUps = useFollowUps();
  const today = shanghaiDay();
  const horizon = addDays(today, FOLLOW_UP_AHEAD_DAYS);
  const due = (followUps.data?.items ?? []).filter((f) => f.status === 'due');
  const items = due.filter((f) => f.dueOn <= horizon);
  const later = due.length - items.length;
  if (followUps.isError)
    return isApiError(followUps.error) && followUps.error.status === 403 ? null : (
      <ErrorAlert error={followUps.error} />
    );
  if (due.length === 0) return null;
  return (
    <section data-testid="mediation-follow-ups" className="linli-task-list" style={{ marginBottom: 16 }}>
      <h2 className="linli-task-list-title">{t('mediation.followUpsDue')}</h2>
      <ul>
        {items.map((f) => (
          <li key={f.id} data-testid={`follow-up-due-${f.id}`}>
            <Link to={`/mediation/cases/${f.caseId}#follow-ups`} className="linli-task">
              <span className="linli-task-title">{f.dossierNo}</span>
              <span className={f.dueOn < today ? 'linli-task-meta linli-overdue' : 'linli-task-meta'}>
                {t('mediation.followUpDueOn', { date: f.dueOn })}
              </span>
            </Link>
          </li>
        ))}
      </ul>
      {later > 0 && (
        <p className="linli-muted" style={{ padding: '8px 4px', margin: 0 }}>
          {t('mediation.followUpsLater', { n: later, days: FOLLOW_UP_AHEAD_DAYS })}
        </p>
      )}
    </section>
  );
}

export default function MediationHomePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { can } = useAuth();
  const { node } = useJurisdiction();
  const mediates = can('mediation.mediate');
  const reads = can('mediation.read');
  const [status, setStatus] = useState<CaseState | undefined>();
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [chosenView, setChosenView] = useState<'mine' | 'place' | undefined>();
  // Their own caseload first; someone without a case of their own sees their places' cases.
  const mine = useMediationCases({ mine: true, status, ...paging }, mediates);
  const firstMine = mine.isSuccess && !status ? mine.data.total : undefined;
  useEffect(() => {
    if (chosenView === undefined && firstMine !== undefined)
      setChosenView(firstMine === 0 && reads ? 'place' : 'mine');
  }, [chosenView, firstMine, reads]);
  const view = mediates ? (chosenView ?? 'mine') : 'place';
  const place = useMediationCases({ node: node?.id, status, ...paging }, reads && view === 'place');
  const list = view === 'mine' ? mine : place;
  const columns = [
    {
      key: 'dossier',
      title: t('mediation.dossierNo'),
      render: (_: unknown, c: CaseSummary) => (
        <Link to={`/mediation/cases/${c.id}`} onClick={(e) => e.stopPropagation()}>
          {c.dossierNo}
        </Link>
      ),
    },
    { key: 'title', title: t('mediation.parties'), render: (_: unknown, c: CaseSummary) => c.title },
    {
      key: 'type',
      title: t('mediation.disputeType'),
      render: (_: unknown, c: CaseSummary) => t(`mediation.type.${c.disputeType}`),
    },
    {
      key: 'status',
      title: t('mediation.statusLabel'),
      render: (_: unknown, c: CaseSummary) => <CaseStateTag status={c.status} />,
    },
    {
      key: 'next',
      title: t('mediation.nextSession'),
      render: (_: unknown, c: CaseSummary) => (c.nextSessionAt ? formatMinute(c.nextSessionAt) : null),
    },
    { key: 'node', title: t('mediation.place'), render: (_: unknown, c: CaseSummary) => c.node.name },
    {
      key: 'mediator',
      title: t('mediation.mediator'),
      responsive: ['lg' as const],
      render: (_: unknown, c: CaseSummary) => c.mediator?.name ?? '—',
    },
    {
      key: 'received',
      title: t('mediation.receivedAt'),
      responsive: ['lg' as const],
      render: (_: unknown, c: CaseSummary) => formatMinute(c.receivedAt),
    },
  ];
  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('mediation.homeTitle')}</h1>
        {can('mediation.intake') && (
          <Link to="/mediation/new" className="linli-link-button" data-testid="mediation-new">
            {t('mediation.newCase')}
          </Link>
        )}
      </div>
      {mediates && <Agenda />}
      {mediates && <FollowUpsDue />}
      <Card
        size="small"
        title={t('mediation.caseload')}
        extra={
          mediates && reads ? (
            <Segmented<'mine' | 'place'>
              value={view}
              onChange={(v) => {
                setChosenView(v);
                setPaging((p) => ({ ...p, page: 1 }));
              }}
              options={[
                { value: 'mine', label: t('mediation.viewMine') },
                { value: 'place', label: t('mediation.viewPlace') },
              ]}
              data-testid="mediation-view"
            />
          ) : null
        }
      >
        <FilterBar
          active={status ? 1 : 0}
          onClear={() => setStatus(undefined)}
          fields={[
            {
              id: 'mediation-status',
              label: t('mediation.statusLabel'),
              control: (
                <Select<CaseState>
                  id="mediation-status"
                  allowClear
                  value={status}
                  placeholder={t('common.all')}
                  onChange={(v) => {
                    setStatus(v);
                    setPaging((p) => ({ ...p, page: 1 }));
                  }}
                  style={{ minWidth: 140 }}
                  options={CASE_STATES.map((s) => ({ value: s, label: t(`mediation.status.${s}`) }))}
                />
              ),
            },
          ]}
          extra={view === 'place' && node ? <Tag>{t('common.scopeOf', { name: node.name })}</Tag> : undefined}
        />
        {list.isError && <ErrorAlert error={list.error} style={{ marginBottom: 12 }} />}
        <ResponsiveTable<CaseSummary>
          data-testid="mediation-cases"
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          columns={columns}
          locale={{ emptyText: t('mediation.noCases') }}
          onRow={(c) =>
            ({
              'data-testid': `case-row-${c.id}`,
              onClick: () => void navigate(`/mediation/cases/${c.id}`),
              style: { cursor: 'pointer' },
            }) as HTMLAttributes<HTMLElement>
          }
          pagination={{
            current: paging.page,
            pageSize: paging.pageSize,
            total: list.data?.total ?? 0,
            showTotal: (total) => t('common.total', { total }),
            onChange: (page, pageSize) =>
              setPaging({ page: pageSize !== paging.pageSize ? 1 : page, pageSize }),
          }}
        />
      </Card>
    </div>
  );
}
