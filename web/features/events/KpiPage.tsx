// /kpis — joint-handling KPIs of a node over a period (definitions: docs/kpis.md): the headline
// rates, a bar chart of the children's closing rates (click a bar to drill down), the daily flow,
// and a table with every figure per child.
import { useMemo, useState } from 'react';
import { Breadcrumb, Card, Col, DatePicker, Row, Statistic, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useTranslation } from 'react-i18next';
import type { KpiResponse } from '../../../common/contracts/events.js';
import { useKpis } from '../../api/events.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type Child = KpiResponse['children'][number];
const pct = (v: number | null) => (v === null ? '—' : `${v.toFixed(2)}%`);

export default function KpiPage() {
  const { t } = useTranslation();
  const { node } = useJurisdiction();
  // Drill-down path below the chosen jurisdiction node: clicking a child goes one level down.
  const [trail, setTrail] = useState<{ id: number; name: string }[]>([]);
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(29, 'day'), dayjs()]);
  const current = trail.at(-1) ?? (node ? { id: node.id, name: node.name } : null);
  const from = range[0].format('YYYY-MM-DD');
  const to = range[1].format('YYYY-MM-DD');
  const kpis = useKpis(current?.id, from, to);
  const data = kpis.data;
  const f = data?.figures;

  const bar = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 60 },
      xAxis: {
        type: 'category',
        data: data?.children.map((c) => c.node.name) ?? [],
        axisLabel: { rotate: 30 },
      },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          name: t('kpi.closingRate'),
          type: 'bar',
          data: data?.children.map((c) => c.figures.closingRate) ?? [],
        },
        {
          name: t('kpi.onTimeClosingRate'),
          type: 'bar',
          data: data?.children.map((c) => c.figures.onTimeClosingRate) ?? [],
        },
      ],
    }),
    [data, t],
  );
  const line = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 30 },
      xAxis: { type: 'category', data: data?.days.map((d) => d.day.slice(5)) ?? [] },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: t('kpi.received'),
          type: 'line',
          smooth: true,
          data: data?.days.map((d) => d.received) ?? [],
        },
        { name: t('kpi.due'), type: 'line', smooth: true, data: data?.days.map((d) => d.due) ?? [] },
        { name: t('kpi.closed'), type: 'line', smooth: true, data: data?.days.map((d) => d.closed) ?? [] },
      ],
    }),
    [data, t],
  );

  const drill = (c: Child) => {
    if (c.node.level === 'grid' || c.node.level === 'microgrid') return;
    setTrail((tr) => [...tr, { id: c.node.id, name: c.node.name }]);
  };
  const columns: TableColumnsType<Child> = [
    {
      title: t('kpi.node'),
      key: 'node',
      render: (_v, c) =>
        c.node.level === 'grid' ? (
          c.node.name
        ) : (
          <a onClick={() => drill(c)} data-testid={`kpi-drill-${c.node.id}`}>
            {c.node.name}
          </a>
        ),
    },
    { title: t('kpi.received'), key: 'received', render: (_v, c) => c.figures.received },
    { title: t('kpi.due'), key: 'due', render: (_v, c) => c.figures.due },
    { title: t('kpi.closingRate'), key: 'cr', render: (_v, c) => pct(c.figures.closingRate) },
    { title: t('kpi.onTimeClosingRate'), key: 'otcr', render: (_v, c) => pct(c.figures.onTimeClosingRate) },
    {
      title: t('kpi.onTimeSigningRate'),
      key: 'otsr',
      render: (_v, c) => pct(c.figures.onTimeSigningRate),
      responsive: ['md'],
    },
    {
      title: t('kpi.reworkRate'),
      key: 'rw',
      render: (_v, c) => pct(c.figures.reworkRate),
      responsive: ['md'],
    },
    {
      title: t('kpi.satisfactionRate'),
      key: 'sat',
      render: (_v, c) => pct(c.figures.satisfactionRate),
      responsive: ['md'],
    },
    { title: t('kpi.overdueNow'), key: 'od', render: (_v, c) => c.figures.overdueNow },
  ];

  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('kpi.title')}</h1>
        <DatePicker.RangePicker
          data-testid="kpi-range"
          allowClear={false}
          value={range}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
          disabledDate={(d) => d.isAfter(dayjs())}
        />
      </div>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          ...(node ? [{ title: <a onClick={() => setTrail([])}>{node.name}</a> }] : []),
          ...trail.map((n, i) => ({
            title: <a onClick={() => setTrail((tr) => tr.slice(0, i + 1))}>{n.name}</a>,
          })),
        ]}
      />
      {kpis.isError && <ErrorAlert error={kpis.error} style={{ marginBottom: 12 }} />}
      <Row gutter={[12, 12]} data-testid="kpi-figures" data-node={data?.node.id}>
        {(
          [
            ['received', f?.received],
            ['due', f?.due],
            ['closed', f?.closed],
            ['closingRate', f ? pct(f.closingRate) : undefined],
            ['onTimeClosingRate', f ? pct(f.onTimeClosingRate) : undefined],
            ['onTimeSigningRate', f ? pct(f.onTimeSigningRate) : undefined],
            ['filingRate', f ? pct(f.filingRate) : undefined],
            ['reworkRate', f ? pct(f.reworkRate) : undefined],
            ['satisfactionRate', f ? pct(f.satisfactionRate) : undefined],
            ['meanHandlingHours', f?.meanHandlingHours ?? '—'],
            ['overdueNow', f?.overdueNow],
            [
              'escalations',
              f ? f.escalations.village + f.escalations.town + f.escalations.district : undefined,
            ],
          ] as const
        ).map(([k, v]) => (
          <Col xs={12} md={8} xl={4} key={k}>
            <Card size="small" loading={kpis.isPending}>
              <Statistic
                title={t(`kpi.${k}`)}
                value={v ?? '—'}
                valueStyle={k === 'overdueNow' && Number(v) > 0 ? { color: '#c8102e' } : undefined}
                data-testid={`kpi-${k}`}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('kpi.byChild')}>
            <ReactEChartsCore
              echarts={echarts}
              option={bar}
              style={{ height: 300 }}
              notMerge
              onEvents={{ click: (p: { dataIndex: number }) => data && drill(data.children[p.dataIndex]!) }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('kpi.daily')}>
            <ReactEChartsCore echarts={echarts} option={line} style={{ height: 300 }} notMerge />
          </Card>
        </Col>
      </Row>
      <ResponsiveTable<Child>
        data-testid="kpi-children"
        style={{ marginTop: 12 }}
        rowKey={(c) => c.node.id}
        size="small"
        columns={columns}
        dataSource={data?.children ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
      />
    </div>
  );
}
