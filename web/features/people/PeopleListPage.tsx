// /people — residents within the chosen jurisdiction node: search by name prefix or a whole ID or
// phone number, filter by residence type and tags; register, import and export.
import { useState, type HTMLAttributes } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, Input, Select, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePeople, type PersonSummary, type ResidenceType } from '../../api/people.js';
import { useAuth } from '../../app/auth.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { FilterBar } from '../../app/components/FilterBar.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';
import { useIsPhone } from '../../app/useIsPhone.js';
import { LIMITS } from '../../../common/limits.js';
import { PersonFormModal } from './PersonFormModal.js';
import { ExportButtons } from './ExportButtons.js';
import { PersonTags, RESIDENCE_TYPES, ResidenceTag, useResidenceLabel, useTagName } from './labels.js';

export default function PeopleListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { node } = useJurisdiction();
  const residenceLabel = useResidenceLabel();
  const { name: tagName, tags } = useTagName();
  const [q, setQ] = useState('');
  const [type, setType] = useState<ResidenceType | undefined>(undefined);
  const [chosenTags, setChosenTags] = useState<string[]>([]);
  const [creating, setCreating] = useState(false);
  const isPhone = useIsPhone();
  const filterKey = JSON.stringify([node?.id, q, type, chosenTags]);
  const [paging, setPaging] = useState({ key: filterKey, page: 1, pageSize: 20 });
  // New filters start again at page 1.
  const page = paging.key === filterKey ? paging.page : 1;
  const pageSize = paging.pageSize;
  const filters = { node: node?.id, q: q || undefined, tag: chosenTags, type };
  const people = usePeople({ ...filters, page, pageSize });

  const toggleTag = (code: string, on: boolean) =>
    setChosenTags((prev) => (on ? [...prev, code] : prev.filter((c) => c !== code)));

  const columns: TableColumnsType<PersonSummary> = [
    {
      title: t('people.name'),
      dataIndex: 'name',
      key: 'name',
      render: (v: string, p) => (
        <Link to={`/people/${p.id}`} data-testid={`person-link-${p.id}`}>
          {v}
        </Link>
      ),
    },
    {
      title: t('people.idNumber'),
      dataIndex: 'idNumber',
      key: 'idNumber',
      render: (v: string | null) =>
        v ? (
          <Typography.Text className="linli-mono">{v}</Typography.Text>
        ) : (
          <Typography.Text type="secondary">{t('people.noId')}</Typography.Text>
        ),
    },
    {
      title: t('people.phone'),
      dataIndex: 'phone',
      key: 'phone',
      responsive: ['md'],
      render: (v: string | null) => (v ? <span className="linli-mono">{v}</span> : ''),
    },
    {
      title: t('people.gender'),
      dataIndex: 'gender',
      key: 'gender',
      responsive: ['lg'],
      render: (v: PersonSummary['gender']) => (v ? t(`people.${v}`) : ''),
    },
    {
      title: t('people.residenceType'),
      dataIndex: 'residenceType',
      key: 'residenceType',
      responsive: ['md'],
      render: (v: ResidenceType) => <ResidenceTag type={v} />,
    },
    {
      title: t('people.grid'),
      key: 'grid',
      render: (_v, p) => p.node.name,
    },
    {
      title: t('people.address'),
      dataIndex: 'address',
      key: 'address',
      responsive: ['lg'],
      ellipsis: true,
    },
    {
      title: t('people.tags'),
      dataIndex: 'tags',
      key: 'tags',
      responsive: ['md'],
      render: (v: string[]) => <PersonTags codes={v} />,
    },
  ];

  const activeTags = tags.filter((x) => !x.retired);

  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('people.title')}</h1>
        <Space wrap>
          {can('people.write') && (
            <Button type="primary" data-testid="people-create" onClick={() => setCreating(true)}>
              {t('people.create')}
            </Button>
          )}
          {can('people.import') && (
            <Button data-testid="people-import" onClick={() => void navigate('/people/import')}>
              {t('people.import')}
            </Button>
          )}
          <ExportButtons filters={filters} />
          {can('tags.manage') && (
            <Button data-testid="people-tags" onClick={() => void navigate('/tags')}>
              {t('tags.manage')}
            </Button>
          )}
        </Space>
      </div>
      <FilterBar
        data-testid="people-filters"
        active={(type ? 1 : 0) + chosenTags.length}
        onClear={() => {
          setType(undefined);
          setChosenTags([]);
        }}
        search={
          <Input.Search
            data-testid="people-search"
            aria-label={t('people.searchLabel')}
            allowClear
            placeholder={t('people.searchPlaceholder')}
            maxLength={LIMITS.search}
            onSearch={(v) => setQ(v.trim())}
            style={{ maxWidth: isPhone ? undefined : 360 }}
          />
        }
        fields={[
          {
            id: 'people-filter-type',
            label: t('people.residenceType'),
            control: (
              <Select<ResidenceType>
                id="people-filter-type"
                data-testid="people-type"
                allowClear
                placeholder={t('people.allTypes')}
                value={type}
                onChange={(v) => setType(v ?? undefined)}
                options={RESIDENCE_TYPES.map((v) => ({ value: v, label: residenceLabel(v) }))}
                style={{ minWidth: 160 }}
              />
            ),
          },
          ...(activeTags.length > 0
            ? [
                {
                  id: 'people-filter-tags',
                  label: t('people.tags'),
                  group: true,
                  control: (
                    <div className="linli-tag-chips" data-testid="people-tags-filter">
                      {activeTags.map((x) => (
                        <Tag.CheckableTag
                          key={x.code}
                          data-testid={`tag-chip-${x.code}`}
                          checked={chosenTags.includes(x.code)}
                          onChange={(on) => toggleTag(x.code, on)}
                        >
                          {tagName(x.code)}
                        </Tag.CheckableTag>
                      ))}
                    </div>
                  ),
                },
              ]
            : []),
        ]}
        extra={node && <Tag>{t('common.scopeOf', { name: node.name })}</Tag>}
      />
      {people.isError && <ErrorAlert error={people.error} style={{ marginBottom: 12 }} />}
      <ResponsiveTable<PersonSummary>
        data-testid="people-table"
        rowKey="id"
        size="middle"
        loading={people.isFetching}
        dataSource={people.data?.items ?? []}
        columns={columns}
        scroll={{ x: 'max-content' }}
        onRow={(p) => ({ 'data-testid': `person-row-${p.id}` }) as HTMLAttributes<HTMLElement>}
        pagination={{
          current: page,
          pageSize,
          total: people.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
          onChange: (p, ps) => setPaging({ key: filterKey, page: ps !== pageSize ? 1 : p, pageSize: ps }),
        }}
      />
      <PersonFormModal open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}
