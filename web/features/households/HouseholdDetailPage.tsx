// /households/:id — one household: address, grid, and its members (masked) with their relation to the head.
import type { HTMLAttributes } from 'react';
import { Link, useParams } from 'react-router';
import { Card, Descriptions, Empty, Spin, Tag, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useHousehold, type HouseholdMember, type ResidenceType } from '../../api/people.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';
import { ResidenceTag } from '../people/labels.js';

export default function HouseholdDetailPage() {
  const { t } = useTranslation();
  const params = useParams();
  const idNum = Number(params.id);
  const id = Number.isInteger(idNum) && idNum > 0 ? idNum : undefined;
  const household = useHousehold(id);

  if (id === undefined) return <Empty description={t('common.notFound')} />;
  if (household.isPending) {
    return (
      <div className="linli-center">
        <Spin size="large" />
      </div>
    );
  }
  if (household.isError) return <ErrorAlert error={household.error} />;
  const h = household.data;

  const columns: TableColumnsType<HouseholdMember> = [
    {
      title: t('people.name'),
      dataIndex: 'name',
      key: 'name',
      render: (v: string, m) => (
        <span>
          <Link to={`/people/${m.id}`} data-testid={`household-person-${m.id}`}>
            {v}
          </Link>{' '}
          {m.isHead && <Tag color="gold">{t('households.head')}</Tag>}
        </span>
      ),
    },
    {
      title: t('households.relation'),
      dataIndex: 'relation',
      key: 'relation',
      render: (v: string | null) => v ?? '—',
    },
    {
      title: t('people.idNumber'),
      dataIndex: 'idNumber',
      key: 'idNumber',
      render: (v: string | null) => <span className="linli-mono">{v ?? '—'}</span>,
    },
    {
      title: t('people.residenceType'),
      dataIndex: 'residenceType',
      key: 'residenceType',
      responsive: ['md'],
      render: (v: ResidenceType) => <ResidenceTag type={v} />,
    },
    {
      title: t('people.phone'),
      dataIndex: 'phone',
      key: 'phone',
      responsive: ['md'],
      render: (v: string | null) => <span className="linli-mono">{v ?? ''}</span>,
    },
  ];

  return (
    <div>
      <div className="linli-page-title">
        <h1 data-testid="household-title">{h.address ?? `#${h.id}`}</h1>
      </div>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions
          data-testid="household-detail"
          size="small"
          column={{ xs: 1, sm: 2, md: 3 }}
          items={[
            { key: 'head', label: t('households.head'), children: h.headName ?? '—' },
            { key: 'grid', label: t('people.grid'), children: h.node.name },
            { key: 'count', label: t('households.memberCount'), children: h.memberCount },
          ]}
        />
      </Card>
      <ResponsiveTable<HouseholdMember>
        data-testid="household-members"
        rowKey="id"
        size="middle"
        dataSource={h.members}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={(m) => ({ 'data-testid': `household-member-${m.id}` }) as HTMLAttributes<HTMLElement>}
      />
    </div>
  );
}
