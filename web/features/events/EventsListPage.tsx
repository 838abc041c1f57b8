// /events — events in the chosen jurisdiction (or dispatched to your department): filters by state,
// category, owner level, channel and overdue; overdue first; report a new one.
import { useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router';
import { Button, Cascader, Input, Select, Space, Tag, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { CHANNELS, EVENT_STATE_CODES, OWNER_LEVEL_CODES } from '../../../common/contracts/events-codes.js';
import {
  categoryTree,
  useCategories,
  useEvents,
  type EventFilters,
  type EventSummary,
} from '../../api/events.js';
import { useAuth } from '../../app/auth.js';
import { formatTime, useLabel } from '../../app/format.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { FilterBar } from '../../app/components/FilterBar.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';
import { useIsPhone } from '../../app/useIsPhone.js';
import { OverdueTag, StateTag, useEventLabels } from './labels.js';
import { ExportEventsButton } from './ExportEventsButton.js';
import { ReportEventModal } from './ReportEventModal.js';

export default function EventsListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const label = useLabel();
  const labels = useEventLabels();
  const { node } = useJurisdiction();
  const categories = useCategories();
  const [filters, setFilters] = useState<Omit<EventFilters, 'node'>>({});
  const [reporting, setReporting] = useState(false);
  const filterKey = JSON.stringify([node?.id, filters]);
  const [paging, setPaging] = useState({ key: filterKey, page: 1, pageSize: 20 });
  const page = paging.key === filterKey ? paging.page : 1;
  const pageSize = paging.pageSize;
  const events = useEvents({ ...filters, node: node?.id, page, pageSize });
  const set = (patch: Partial<EventFilters>) => setFilters((f) => ({ ...f, ...patch }));
  const isPhone = useIsPhone();
  const [categoryPath, setCategoryPath] = useState<number[] | undefined>();
  const categoryOptions = categoryTree(categories.data?.items ?? [], (c) =>
    label({ zh: c.nameZh, en: c.nameEn }),
  );
  const active = [filters.state, filters.category, filters.level, filters.channel, filters.overdue].filter(
    (v) => v !== undefined,
  ).length;

  const columns: TableColumnsType<EventSummary> = [
    {
      title: t('events.titleField'),
      key: 'title',
      render: (_v, e) => (
        <Link to={`/events/${e.id}`} data-testid={`event-link-${e.id}`}>
          {e.title}
        </Link>
      ),
    },
    {
      title: t('events.trackingCode'),
      dataIndex: 'trackingCode',
      key: 'code',
      className: 'linli-mono',
      responsive: ['lg'],
    },
    {
      title: t('events.category'),
      key: 'category',
      render: (_v, e) => label({ zh: e.category.nameZh, en: e.category.nameEn }),
    },
    {
      title: t('events.state'),
      key: 'state',
      render: (_v, e) => (
        <>
          <StateTag state={e.state} />
          <OverdueTag overdue={e.overdue} />
        </>
      ),
    },
    {
      title: t('events.owner'),
      key: 'owner',
      render: (_v, e) => labels.level(e.ownerLevel),
      responsive: ['md'],
    },
    { title: t('events.place'), key: 'node', render: (_v, e) => e.node.name, responsive: ['md'] },
    {
      title: t('events.department'),
      key: 'dept',
      render: (_v, e) => e.leadDepartment?.name ?? '—',
      responsive: ['lg'],
    },
    {
      title: t('events.dueAt'),
      key: 'due',
      render: (_v, e) => (e.dueAt ? formatTime(e.dueAt) : '—'),
      responsive: ['md'],
    },
    {
      title: t('events.reportedAt'),
      key: 'created',
      render: (_v, e) => formatTime(e.createdAt),
      responsive: ['xl'],
    },
  ];

  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('events.title')}</h1>
        <Space wrap>
          <ExportEventsButton filters={{ ...filters, node: node?.id }} />
          {can('events.report') && (
            <Button type="primary" data-testid="event-report" onClick={() => setReporting(true)}>
              {t('events.report')}
            </Button>
          )}
        </Space>
      </div>
      <FilterBar
        data-testid="events-filters"
        active={active}
        onClear={() => {
          setCategoryPath(undefined);
          setFilters(filters.q ? { q: filters.q } : {});
        }}
        search={
          <Input.Search
            data-testid="events-search"
            aria-label={t('events.searchLabel')}
            allowClear
            placeholder={t('events.searchPlaceholder')}
            maxLength={50}
            onSearch={(v) => set({ q: v.trim() || undefined })}
            style={{ maxWidth: isPhone ? undefined : 260 }}
          />
        }
        fields={[
          {
            id: 'events-filter-state',
            label: t('events.state'),
            control: (
              <Select
                id="events-filter-state"
                data-testid="events-state"
                mode="multiple"
                allowClear
                placeholder={t('common.all')}
                style={{ minWidth: 180 }}
                value={filters.state ?? []}
                options={EVENT_STATE_CODES.map((s) => ({ value: s, label: labels.state(s) }))}
                onChange={(v: EventSummary['state'][]) => set({ state: v.length > 0 ? v : undefined })}
              />
            ),
          },
          {
            id: 'events-filter-category',
            label: t('events.category'),
            control: (
              <Cascader
                id="events-filter-category"
                data-testid="events-category"
                changeOnSelect
                allowClear
                placeholder={t('common.all')}
                value={categoryPath}
                options={categoryOptions}
                onChange={(v) => {
                  const path = v as number[] | undefined;
                  setCategoryPath(path);
                  set({ category: path?.at(-1) });
                }}
              />
            ),
          },
          {
            id: 'events-filter-level',
            label: t('events.owner'),
            control: (
              <Select
                id="events-filter-level"
                data-testid="events-level"
                allowClear
                placeholder={t('common.all')}
                style={{ minWidth: 120 }}
                value={filters.level}
                options={OWNER_LEVEL_CODES.map((l) => ({ value: l, label: labels.level(l) }))}
                onChange={(v?: EventSummary['ownerLevel']) => set({ level: v })}
              />
            ),
          },
          {
            id: 'events-filter-channel',
            label: t('events.channel'),
            control: (
              <Select
                id="events-filter-channel"
                data-testid="events-channel"
                allowClear
                placeholder={t('common.all')}
                style={{ minWidth: 120 }}
                value={filters.channel}
                options={CHANNELS.map((c) => ({ value: c, label: labels.channel(c) }))}
                onChange={(v?: EventSummary['channel']) => set({ channel: v })}
              />
            ),
          },
          {
            id: 'events-filter-overdue',
            label: t('events.overdue'),
            control: (
              <Select
                id="events-filter-overdue"
                data-testid="events-overdue"
                allowClear
                placeholder={t('common.all')}
                style={{ minWidth: 120 }}
                value={filters.overdue}
                options={labels.overdueOptions}
                onChange={(v?: 'true' | 'false') => set({ overdue: v })}
              />
            ),
          },
        ]}
        extra={node && <Tag>{t('common.scopeOf', { name: node.name })}</Tag>}
      />
      {events.isError && <ErrorAlert error={events.error} style={{ marginBottom: 12 }} />}
      <ResponsiveTable<EventSummary>
        data-testid="events-table"
        rowKey="id"
        size="middle"
        loading={events.isFetching}
        dataSource={events.data?.items ?? []}
        columns={columns}
        scroll={{ x: 'max-content' }}
        onRow={(e) => ({ 'data-testid': `event-row-${e.id}` }) as HTMLAttributes<HTMLElement>}
        pagination={{
          current: page,
          pageSize,
          total: events.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
          onChange: (p, ps) => setPaging({ key: filterKey, page: ps !== pageSize ? 1 : p, pageSize: ps }),
        }}
      />
      <ReportEventModal
        open={reporting}
        onClose={() => setReporting(false)}
        defaultNode={node ? { id: node.id, name: node.name } : undefined}
      />
    </div>
  );
}
