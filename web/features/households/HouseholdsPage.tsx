// /households — households within the chosen jurisdiction node (a grid worker's own grid by default).
import { useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router';
import { Input, Tag, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useHouseholds, type HouseholdSummary } from '../../api/people.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { FilterBar } from '../../app/components/FilterBar.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';
import { LIMITS } from '../../../common/limits.js';

export default function HouseholdsPage() {
  const { t } = useTranslation();
  const { node } = useJurisdiction();
  const [q, setQ] = useState('');
  const filterKey = JSON.stringify([node?.id, q]);
  const [paging, setPaging] = useState({ key: filterKey, page: 1, pageSize: 20 });
  const page = paging.key === filterKey ? paging.page : 1;
  const pageSize = paging.pageSize;
  const households = useHouseholds({ node: node?.id, q: q || undefined, page, pageSize });

  const columns: TableColumnsType<HouseholdSummary> = [
    {
      title: t('households.address'),
      dataIndex: 'address',
      key: 'address',
      render: (v: string | null, h) => (
        <Link to={`/households/${h.id}`} data-testid={`household-link-${h.id}`}>
          {v ?? `#${h.id}`}
        </Link>
      ),
    },
    {
      title: t('households.head'),
      dataIndex: 'headName',
      key: 'headName',
      render: (v: string | null) => v ?? '—',
    },
    { title: t('households.memberCount'), dataIndex: 'memberCount', key: 'memberCount', width: 90 },
    {
      title: t('people.grid'),
      key: 'grid',
      responsive: ['md'],
      render: (_v, h) => h.node.name,
    },
  ];

  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('households.title')}</h1>
      </div>
      <FilterBar
        active={0}
        fields={[]}
        search={
          <Input.Search
            data-testid="households-search"
            aria-label={t('households.searchLabel')}
            allowClear
            placeholder={t('households.searchPlaceholder')}
            maxLength={LIMITS.search}
            onSearch={(v) => setQ(v.trim())}
            style={{ maxWidth: 360 }}
          />
        }
        extra={node && <Tag>{t('common.scopeOf', { name: node.name })}</Tag>}
      />
      {households.isError && <ErrorAlert error={households.error} style={{ marginBottom: 12 }} />}
      <ResponsiveTable<HouseholdSummary>
        data-testid="households-table"
        rowKey="id"
        size="middle"
        loading={households.isFetching}
        dataSource={households.data?.items ?? []}
        columns={columns}
        scroll={{ x: 'max-content' }}
        onRow={(h) => ({ 'data-testid': `household-row-${h.id}` }) as HTMLAttributes<HTMLElement>}
        pagination={{
          current: page,
          pageSize,
          total: households.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
          onChange: (p, ps) => setPaging({ key: filterKey, page: ps !== pageSize ? 1 : p, pageSize: ps }),
        }}
      />
    </div>
  );
}
