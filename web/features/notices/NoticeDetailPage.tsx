// /notices/:id?node= — a notice's text, its delivery progress at a node with one bar per child
// (click to drill down: town → village → grid), and at a grid the household checklist where the
// grid worker ticks households and confirms delivery (phone-width friendly).
import { useState, type HTMLAttributes, type MouseEvent } from 'react';
import { useParams, useSearchParams } from 'react-router';
import {
  App,
  Breadcrumb,
  Button,
  Card,
  Empty,
  Popconfirm,
  Progress,
  Segmented,
  Select,
  Space,
  Table,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useTranslation } from 'react-i18next';
import {
  DELIVERY_BATCH_MAX,
  DELIVERY_METHODS,
  useDeliver,
  useNotice,
  useNoticeHouseholds,
  useUndeliver,
  type ChecklistStatus,
  type DeliveryMethod,
  type NoticeHousehold,
  type NoticeProgress,
} from '../../api/notices.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { PageSpin } from '../../app/components/PageSpin.js';
import { useErrorTexts } from '../../app/errors.js';
import { formatTime, useLabel } from '../../app/format.js';
import { useIsPhone } from '../../app/useIsPhone.js';
import { DELIVERY_METHOD_LABELS } from '../../../common/contracts/notices-codes.js';
import type { Level } from '../../../common/tree.js';
import { LEVEL_LABELS } from '../../../common/tree.js';

function ProgressRow({ p, onClick }: { p: NoticeProgress; onClick?: () => void }) {
  const { t } = useTranslation();
  const label = useLabel();
  return (
    <div
      className="linli-notice-child"
      data-testid={`notice-child-${p.node.id}`}
      role={onClick ? 'button' : undefined}
      tabIndex={onClick ? 0 : undefined}
      onClick={onClick}
      onKeyDown={(e) => e.key === 'Enter' && onClick?.()}
      style={{ cursor: onClick ? 'pointer' : undefined, padding: '6px 0' }}
    >
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Text strong={Boolean(onClick)}>
          {p.node.name}{' '}
          <Typography.Text type="secondary">
            {LEVEL_LABELS[p.node.level as Level] ? label(LEVEL_LABELS[p.node.level as Level]) : p.node.level}
          </Typography.Text>
        </Typography.Text>
        <Typography.Text type="secondary">
          {t('notices.count', { delivered: p.delivered, households: p.households })}
        </Typography.Text>
      </Space>
      <Progress
        aria-label={t('notices.deliveredOf', {
          name: p.node.name,
          delivered: p.delivered,
          households: p.households,
        })}
        percent={p.percent}
        size="small"
        status={p.percent >= 100 ? 'success' : 'normal'}
      />
    </div>
  );
}

function Checklist({
  noticeId,
  nodeId,
  canDeliver,
}: {
  noticeId: number;
  nodeId: number;
  canDeliver: boolean;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const isPhone = useIsPhone();
  const { message } = App.useApp();
  const texts = useErrorTexts();
  const [status, setStatus] = useState<ChecklistStatus>('undelivered');
  const [paging, setPaging] = useState({ key: `${nodeId} ${status}`, page: 1, pageSize: 50 });
  const key = `${nodeId} ${status}`;
  const page = paging.key === key ? paging.page : 1;
  const [selected, setSelected] = useState<number[]>([]);
  const [method, setMethod] = useState<DeliveryMethod>('door');
  const households = useNoticeHouseholds(
    noticeId,
    { node: nodeId, status, page, pageSize: paging.pageSize },
    true,
  );
  const deliver = useDeliver(noticeId);
  const undeliver = useUndeliver(noticeId);

  const confirm = () =>
    deliver.mutate(
      { householdIds: selected, method },
      {
        onSuccess: (r) => {
          setSelected([]);
          void message.success(
            r.skipped.length
              ? t('notices.deliveredSkipped', { n: r.delivered.length, skipped: r.skipped.length })
              : t('notices.deliveredN', { n: r.delivered.length }),
          );
        },
        onError: (e) => void message.error(texts.title(e)),
      },
    );

  const columns: TableColumnsType<NoticeHousehold> = [
    { title: t('notices.address'), key: 'address', render: (_v, h) => h.address ?? `#${h.id}` },
    { title: t('notices.head'), key: 'head', render: (_v, h) => h.headName ?? '—' },
    {
      title: t('notices.status'),
      key: 'status',
      render: (_v, h) =>
        h.delivered ? (
          <Space size={4} wrap>
            <Typography.Text type="success">{t('notices.delivered')}</Typography.Text>
            <Typography.Text type="secondary">
              {h.method ? label(DELIVERY_METHOD_LABELS[h.method]) : ''} {formatTime(h.deliveredAt)}
              {h.deliveredBy ? ` · ${h.deliveredBy}` : ''}
            </Typography.Text>
            {h.abilities.deliver && (
              <Popconfirm
                title={t('notices.undoConfirm')}
                onConfirm={() =>
                  undeliver.mutate(h.id, { onError: (e) => void message.error(texts.title(e)) })
                }
              >
                <Button size="small" type="link" data-testid={`notice-undo-${h.id}`}>
                  {t('notices.undo')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        ) : (
          <Typography.Text type="warning">{t('notices.undelivered')}</Typography.Text>
        ),
    },
    { title: t('notices.grid'), key: 'grid', responsive: ['md'], render: (_v, h) => h.node.name },
  ];

  return (
    <Card title={t('notices.checklist')} size="small" data-testid="notice-checklist">
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented<ChecklistStatus>
          data-testid="notice-status"
          aria-label={t('notices.status')}
          value={status}
          onChange={(v) => {
            setStatus(v);
            setSelected([]);
          }}
          options={[
            { value: 'undelivered', label: t('notices.undelivered') },
            { value: 'delivered', label: t('notices.delivered') },
            { value: 'all', label: t('notices.all') },
          ]}
        />
      </Space>
      {households.isError && <ErrorAlert error={households.error} style={{ marginBottom: 12 }} />}
      {canDeliver && (
        <Space wrap style={{ marginBottom: 12, width: '100%' }}>
          <Select<DeliveryMethod>
            data-testid="notice-method"
            aria-label={t('notices.method')}
            value={method}
            onChange={setMethod}
            style={{ minWidth: 140 }}
            options={DELIVERY_METHODS.map((m) => ({ value: m, label: label(DELIVERY_METHOD_LABELS[m]) }))}
          />
          <Button
            type="primary"
            data-testid="notice-confirm"
            disabled={selected.length === 0}
            loading={deliver.isPending}
            onClick={confirm}
            block={isPhone}
          >
            {t('notices.confirm', { n: selected.length })}
          </Button>
        </Space>
      )}
      <Table<NoticeHousehold>
        data-testid="notice-households"
        rowKey="id"
        size="small"
        loading={households.isFetching}
        dataSource={households.data?.items ?? []}
        columns={columns}
        // On a phone the four columns wrap to the screen's width rather than scroll.
        scroll={isPhone ? undefined : { x: 'max-content' }}
        // A row is tappable as a whole: a tap anywhere but on its own controls ticks or unticks it.
        onRow={(h) =>
          ({
            'data-testid': `notice-household-${h.id}`,
            className: canDeliver && !h.delivered && h.abilities.deliver ? 'linli-row-tappable' : undefined,
            onClick: (e: MouseEvent<HTMLElement>) => {
              if (!canDeliver || h.delivered || !h.abilities.deliver) return;
              if ((e.target as HTMLElement).closest('.ant-table-selection-column, button, a')) return;
              setSelected((prev) =>
                prev.includes(h.id)
                  ? prev.filter((x) => x !== h.id)
                  : [...prev, h.id].slice(0, DELIVERY_BATCH_MAX),
              );
            },
          }) as HTMLAttributes<HTMLElement>
        }
        rowSelection={
          canDeliver
            ? {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected((keys as number[]).slice(0, DELIVERY_BATCH_MAX)),
                getCheckboxProps: (h) =>
                  ({
                    disabled: h.delivered || !h.abilities.deliver,
                    'data-testid': `notice-check-${h.id}`,
                  }) as object,
              }
            : undefined
        }
        pagination={{
          current: page,
          pageSize: paging.pageSize,
          total: households.data?.total ?? 0,
          showTotal: (total) => t('common.total', { total }),
          onChange: (p, ps) => setPaging({ key, page: ps !== paging.pageSize ? 1 : p, pageSize: ps }),
        }}
      />
    </Card>
  );
}

export default function NoticeDetailPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const nodeParam = params.get('node');
  const node = nodeParam ? Number(nodeParam) : undefined;
  const notice = useNotice(id, node);
  const goTo = (nodeId: number) => setParams({ node: String(nodeId) });

  if (notice.isPending) return <PageSpin />;
  if (notice.isError) return <ErrorAlert error={notice.error} />;
  const n = notice.data;
  const view = n.progress.node;
  // At a household node (a grid, or any node with no children holding households) the checklist shows.
  const atHouseholds = n.children.length === 0 || view.level === 'grid' || view.level === 'microgrid';
  return (
    <div data-testid="notice-detail">
      <div className="linli-page-title">
        <h1>{n.title}</h1>
      </div>
      <Typography.Paragraph type="secondary">
        {t('notices.meta', {
          node: n.node.name,
          at: formatTime(n.publishedAt),
          by: n.publishedBy ?? '—',
          households: n.households,
        })}
      </Typography.Paragraph>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Typography.Paragraph
          style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}
          data-testid="notice-body-text"
        >
          {n.body}
        </Typography.Paragraph>
      </Card>
      <Card
        size="small"
        title={
          <Breadcrumb
            data-testid="notice-trail"
            items={n.trail.map((tr, i) => ({
              key: tr.id,
              title: i < n.trail.length - 1 ? <a onClick={() => goTo(tr.id)}>{tr.name}</a> : tr.name,
            }))}
          />
        }
        style={{ marginBottom: 16 }}
      >
        <div data-testid="notice-view-progress">
          <ProgressRow p={n.progress} />
        </div>
        {n.children.length > 0 ? (
          <div style={{ marginTop: 8 }} data-testid="notice-children">
            <Typography.Text type="secondary">{t('notices.byChild')}</Typography.Text>
            {n.children.map((c) => (
              <ProgressRow key={c.node.id} p={c} onClick={() => goTo(c.node.id)} />
            ))}
          </div>
        ) : (
          !atHouseholds && <Empty description={t('notices.noChildren')} />
        )}
      </Card>
      {atHouseholds && n.abilities.checklist && (
        <Checklist noticeId={n.id} nodeId={view.id} canDeliver={n.abilities.deliver} />
      )}
    </div>
  );
}
