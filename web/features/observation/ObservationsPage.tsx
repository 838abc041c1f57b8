// /observations — 居家观察: the place's figures (in observation, due and done today, missed, seen
// unwell, released; below town level 1–4 shows as "<5") with its children's, and the orders of the
// place (or, for a carer, the orders naming them), newest first. An order opens on its own page.
import { useState, type HTMLAttributes } from 'react';
import { useNavigate } from 'react-router';
import { Card, Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  useObservationStats,
  useObservations,
  type ObservationFigures,
  type ObservationStatus,
  type ObservationSummary,
} from '../../api/observations.js';
import { useAuth } from '../../app/auth.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { FilterBar } from '../../app/components/FilterBar.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';
import { FollowUpTag, ObservationStatusTag } from './ObservationDetailPage.js';
import './observation.css';

const FIGURES = [
  ['active', 'observation.figActive'],
  ['dueToday', 'observation.figDue'],
  ['doneToday', 'observation.figDone'],
  ['missed', 'observation.figMissed'],
  ['unwell', 'observation.figUnwell'],
  ['released', 'observation.figReleased'],
] as const satisfies readonly (readonly [keyof ObservationFigures, string])[];

function Figures({ node }: { node: number | undefined }) {
  const { t } = useTranslation();
  const stats = useObservationStats(node);
  const s = stats.data;
  if (stats.isError) return <ErrorAlert error={stats.error} style={{ marginBottom: 12 }} />;
  if (!s) return null;
  const warn = (k: keyof ObservationFigures) => (k === 'missed' || k === 'unwell') && s.figures[k] !== 0;
  return (
    <Card size="small" title={`${t('observation.figures')} · ${s.node.name}`} style={{ marginBottom: 12 }}>
      <div className="linli-observation-figures" data-testid="observation-figures">
        {FIGURES.map(([k, label]) => (
          <div key={k} className="linli-observation-figure">
            <div className="linli-muted">{t(label)}</div>
            <div
              data-testid={`observation-fig-${k}`}
              style={{
                fontSize: 22,
                fontWeight: 600,
                color: warn(k) ? 'var(--linli-danger, #c8102e)' : undefined,
              }}
            >
              {s.figures[k]}
            </div>
          </div>
        ))}
      </div>
      {s.children.length > 0 && (
        <ResponsiveTable
          data-testid="observation-children"
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={s.children}
          columns={[
            { key: 'name', title: t('observation.node'), dataIndex: 'name' },
            ...FIGURES.slice(0, 5).map(([k, label]) => ({
              key: k,
              title: t(label),
              render: (_: unknown, c: (typeof s.children)[number]) => c.figures[k],
            })),
          ]}
        />
      )}
      <p className="linli-muted" style={{ margin: '8px 0 0' }}>
        {t('observation.smallHint')}
      </p>
    </Card>
  );
}

export default function ObservationsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { can } = useAuth();
  const { node } = useJurisdiction();
  const reads = can('observations.read');
  const [status, setStatus] = useState<ObservationStatus | undefined>('active');
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  // A carer without the place's read sees the orders naming them: no place to narrow by.
  const list = useObservations({ node: reads ? node?.id : undefined, status, ...paging });
  const columns = [
    {
      key: 'person',
      title: t('observation.person'),
      render: (_: unknown, o: ObservationSummary) => o.person.name,
    },
    { key: 'node', title: t('observation.node'), render: (_: unknown, o: ObservationSummary) => o.node.name },
    {
      key: 'period',
      title: t('observation.period'),
      render: (_: unknown, o: ObservationSummary) => `${o.startDate} ~ ${o.endDate}`,
    },
    {
      key: 'status',
      title: t('observation.status'),
      render: (_: unknown, o: ObservationSummary) => (
        <span>
          <ObservationStatusTag status={o.status} />
          {o.todayStatus && <FollowUpTag status={o.todayStatus} />}
          {o.missed > 0 && <Tag color="red">{t('observation.missedCount', { n: o.missed })}</Tag>}
        </span>
      ),
    },
    {
      key: 'carers',
      title: t('observation.carers'),
      responsive: ['lg' as const],
      render: (_: unknown, o: ObservationSummary) => o.carers.map((c) => c.name).join('、') || '—',
    },
  ];
  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('observation.listTitle')}</h1>
      </div>
      {reads && <Figures node={node?.id} />}
      <FilterBar
        active={status ? 1 : 0}
        onClear={() => setStatus(undefined)}
        fields={[
          {
            id: 'observation-status',
            label: t('observation.filterStatus'),
            control: (
              <Select<ObservationStatus>
                id="observation-status"
                allowClear
                value={status}
                onChange={(v) => {
                  setStatus(v);
                  setPaging((p) => ({ ...p, page: 1 }));
                }}
                style={{ minWidth: 140 }}
                options={(['active', 'released', 'transferred'] as const).map((s) => ({
                  value: s,
                  label: t(`observation.statusLabel.${s}`),
                }))}
              />
            ),
          },
        ]}
      />
      {list.isError && <ErrorAlert error={list.error} style={{ marginBottom: 12 }} />}
      <ResponsiveTable<ObservationSummary>
        data-testid="observations-table"
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        columns={columns}
        locale={{ emptyText: t('observation.empty') }}
        onRow={(o) =>
          ({
            'data-testid': `observation-row-${o.id}`,
            onClick: () => void navigate(`/observations/${o.id}`),
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
    </div>
  );
}
