// /passages — 通行查询: passages within the chosen jurisdiction, by plate, whole ID number, name,
// checkpoint, time and risk; masked as the server answers them; the statistics per hour or day (in,
// out, risky share) as a chart; export masked by default. A row opens the passage.
import { lazy, Suspense, useMemo, useState, type HTMLAttributes } from 'react';
import { Link, useNavigate } from 'react-router';
import { Card, Input, Segmented, Select, Space, Spin, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePassages, usePassageStats, type PassageFilters, type PassageView } from '../../api/passages.js';
import { useCheckpoints } from '../../api/defence.js';
import { useAuth } from '../../app/auth.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { FilterBar } from '../../app/components/FilterBar.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';
import { formatTime } from '../../app/format.js';
import { useIsPhone } from '../../app/useIsPhone.js';
import { LIMITS } from '../../../common/limits.js';
import { parseIdNumber } from '../../../common/validators.js';
import { PASSAGES_REGISTER } from './permissions.js';
import { useFaultText } from './labels.js';
import { DirectionTag, RiskTag } from './tags.js';
import { RANGE_PRESETS, rangeOf, routeText, shareText, type RangePreset } from './stats.js';
import { PassageExportButtons } from './PassageExportButtons.js';
import './passages.css';

const PassagesChart = lazy(() => import('./PassagesChart.js'));

export default function PassagesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { node } = useJurisdiction();
  const isPhone = useIsPhone();
  const faultText = useFaultText();
  const checkpointList = useCheckpoints({}).data?.items;
  const [plate, setPlate] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [name, setName] = useState('');
  const [checkpointId, setCheckpointId] = useState<number | undefined>();
  const [direction, setDirection] = useState<'in' | 'out' | undefined>();
  const [risky, setRisky] = useState<'true' | 'false' | undefined>();
  const [preset, setPreset] = useState<RangePreset>('today');
  // The range is fixed when the preset is chosen (not at every render), so the queries keep their keys.
  const [rangeAt, setRangeAt] = useState(() => new Date());
  const range = useMemo(() => rangeOf(preset, rangeAt), [preset, rangeAt]);

  const idCheck = idNumber.trim() ? parseIdNumber(idNumber.trim()) : null;
  const filters: PassageFilters = {
    node: node?.id,
    plate: plate.trim().toUpperCase() || undefined,
    idNumber: idCheck?.ok ? idCheck.value.value : undefined,
    name: name.trim() || undefined,
    checkpointId,
    direction,
    risky,
    from: range.from,
    to: range.to,
  };
  const filterKey = JSON.stringify(filters);
  const [paging, setPaging] = useState({ key: filterKey, page: 1, pageSize: 20 });
  const page = paging.key === filterKey ? paging.page : 1;
  const pageSize = paging.pageSize;
  const list = usePassages({ ...filters, page, pageSize }, !idCheck || idCheck.ok);
  const stats = usePassageStats({
    node: node?.id,
    checkpointId,
    from: range.from,
    to: range.to,
    bucket: range.bucket,
  });

  const columns: TableColumnsType<PassageView> = [
    {
      title: t('passages.plate'),
      key: 'plate',
      render: (_v, p) => (
        <Space wrap size={[6, 0]}>
          <Link to={`/passages/${p.id}`} data-testid={`passage-link-${p.id}`} className="linli-mono">
            {p.plate ?? t('passages.onFoot')}
          </Link>
          <DirectionTag direction={p.direction} />
          <RiskTag risky={p.risky} />
        </Space>
      ),
    },
    { title: t('passages.registeredAt'), key: 'at', render: (_v, p) => formatTime(p.registeredAt) },
    { title: t('passages.checkpoint'), key: 'checkpoint', render: (_v, p) => p.checkpoint.name },
    {
      title: t('passages.people'),
      key: 'people',
      render: (_v, p) => (
        <span>
          {p.people.map((x) => (
            <span key={x.id} style={{ display: 'block' }}>
              {x.name}{' '}
              {x.idNumber && (
                <Typography.Text type="secondary" className="linli-mono">
                  {x.idNumber}
                </Typography.Text>
              )}
              {x.risky && <Tag color="red">{t('passages.risky')}</Tag>}
            </span>
          ))}
        </span>
      ),
    },
    { title: t('passages.route'), key: 'route', responsive: ['md'], render: (_v, p) => routeText(p) },
    {
      title: t('passages.vehicleType'),
      key: 'vehicle',
      responsive: ['lg'],
      render: (_v, p) => (p.vehicleType ? t(`passages.vehicle.${p.vehicleType}`) : ''),
    },
    {
      title: t('passages.registeredBy'),
      key: 'by',
      responsive: ['lg'],
      render: (_v, p) => p.registeredBy.name,
    },
  ];

  const active =
    (idNumber.trim() ? 1 : 0) +
    (name.trim() ? 1 : 0) +
    (checkpointId ? 1 : 0) +
    (direction ? 1 : 0) +
    (risky ? 1 : 0);

  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('passages.searchTitle')}</h1>
        <Space wrap>
          {can(PASSAGES_REGISTER) && (
            <Link to="/passages/new" className="linli-link-button" data-testid="passages-new">
              {t('passages.newTitle')}
            </Link>
          )}
          <PassageExportButtons filters={filters} />
        </Space>
      </div>
      <FilterBar
        data-testid="passages-filters"
        active={active}
        onClear={() => {
          setIdNumber('');
          setName('');
          setCheckpointId(undefined);
          setDirection(undefined);
          setRisky(undefined);
        }}
        search={
          <Input.Search
            data-testid="passages-plate"
            aria-label={t('passages.filterPlate')}
            placeholder={t('passages.filterPlate')}
            allowClear
            maxLength={20}
            onSearch={(v) => setPlate(v.trim())}
            style={{ maxWidth: isPhone ? undefined : 240 }}
          />
        }
        fields={[
          {
            id: 'passages-filter-time',
            label: t('passages.filterTime'),
            control: (
              <Segmented<RangePreset>
                id="passages-filter-time"
                data-testid="passages-time"
                value={preset}
                onChange={(v) => {
                  setPreset(v);
                  setRangeAt(new Date());
                }}
                options={RANGE_PRESETS.map((p) => ({ value: p, label: t(`passages.range.${p}`) }))}
              />
            ),
          },
          {
            id: 'passages-filter-id',
            label: t('passages.filterIdNumber'),
            control: (
              <Input
                id="passages-filter-id"
                data-testid="passages-id"
                allowClear
                maxLength={18}
                status={idCheck && !idCheck.ok ? 'error' : undefined}
                title={idCheck && !idCheck.ok ? faultText({ code: idCheck.reason }) : undefined}
                value={idNumber}
                onChange={(e) => setIdNumber(e.target.value)}
                style={{ minWidth: 200 }}
              />
            ),
          },
          {
            id: 'passages-filter-name',
            label: t('passages.filterName'),
            control: (
              <Input
                id="passages-filter-name"
                data-testid="passages-name"
                allowClear
                maxLength={LIMITS.name}
                value={name}
                onChange={(e) => setName(e.target.value)}
                style={{ minWidth: 120 }}
              />
            ),
          },
          {
            id: 'passages-filter-checkpoint',
            label: t('passages.checkpoint'),
            control: (
              <Select<number>
                id="passages-filter-checkpoint"
                data-testid="passages-checkpoint"
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('passages.allCheckpoints')}
                value={checkpointId}
                onChange={(v) => setCheckpointId(v ?? undefined)}
                options={(checkpointList ?? []).map((c) => ({ value: c.id, label: c.name }))}
                style={{ minWidth: 180 }}
              />
            ),
          },
          {
            id: 'passages-filter-direction',
            label: t('passages.directionLabel'),
            control: (
              <Select<'in' | 'out'>
                id="passages-filter-direction"
                allowClear
                value={direction}
                onChange={(v) => setDirection(v ?? undefined)}
                options={(['in', 'out'] as const).map((d) => ({
                  value: d,
                  label: t(`passages.direction.${d}`),
                }))}
                style={{ minWidth: 100 }}
              />
            ),
          },
          {
            id: 'passages-filter-risky',
            label: t('passages.filterRisky'),
            control: (
              <Select<'true' | 'false'>
                id="passages-filter-risky"
                data-testid="passages-risky"
                allowClear
                value={risky}
                onChange={(v) => setRisky(v ?? undefined)}
                options={[
                  { value: 'true', label: t('passages.riskyOnly') },
                  { value: 'false', label: t('passages.notRisky') },
                ]}
                style={{ minWidth: 120 }}
              />
            ),
          },
        ]}
        extra={node && <Tag>{t('common.scopeOf', { name: node.name })}</Tag>}
      />
      <Card
        size="small"
        title={t('passages.stats')}
        extra={
          stats.data && (
            <span data-testid="passages-stats-total">
              {t('passages.statsTotal', {
                total: stats.data.total,
                risky: stats.data.risky,
                share: shareText(stats.data.risky, stats.data.total),
              })}
            </span>
          )
        }
        style={{ marginBottom: 12 }}
      >
        {stats.isError ? (
          <ErrorAlert error={stats.error} />
        ) : (
          <Suspense fallback={<Spin />}>
            <PassagesChart stats={stats.data} bucket={range.bucket} />
          </Suspense>
        )}
      </Card>
      {list.isError && <ErrorAlert error={list.error} style={{ marginBottom: 12 }} />}
      <ResponsiveTable<PassageView>
        data-testid="passages-table"
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        columns={columns}
        scroll={{ x: 'max-content' }}
        onRow={(p) =>
          ({
            'data-testid': `passage-row-${p.id}`,
            onClick: (e: React.MouseEvent) => {
              if (!(e.target as HTMLElement).closest('a')) void navigate(`/passages/${p.id}`);
            },
            style: { cursor: 'pointer' },
          }) as HTMLAttributes<HTMLElement>
        }
        pagination={{
          current: page,
          pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
          onChange: (p, ps) => setPaging({ key: filterKey, page: ps !== pageSize ? 1 : p, pageSize: ps }),
        }}
      />
    </div>
  );
}
