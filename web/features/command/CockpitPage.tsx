// /cockpit (and the big screen at /screen) — 驾驶舱: for the chosen node, live figures per linkage
// (open and overdue cases, directives pending by level, today's daily reports, notices delivered),
// the children as a chart (click one to drill down), the grids on a map coloured by a chosen
// figure, and the latest escalations. Live updates refresh it; no reload, no polling.
import 'leaflet/dist/leaflet.css';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import L from 'leaflet';
import { GeoJSON, MapContainer, TileLayer } from 'react-leaflet';
import {
  Breadcrumb,
  Button,
  Card,
  Col,
  List,
  Progress,
  Row,
  Select,
  Space,
  Statistic,
  Tag,
  Typography,
} from 'antd';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useTranslation } from 'react-i18next';
import { COCKPIT_METRICS } from '../../../common/contracts/command-codes.js';
import { useCockpit, useCommands, type CockpitMetric, type CockpitResponse } from '../../api/command.js';
import { useAppConfig, useNodePolygons } from '../../api/nodes.js';
import type { GeoFeatureCollection } from '../../api/types.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { PageSpin } from '../../app/components/PageSpin.js';
import { formatTime, useLevelLabel } from '../../app/format.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { FitBounds } from '../nodes/NodeMap.js';
import type { Level } from '../../../common/tree.js';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type Figures = CockpitResponse['figures'];
type Feature = GeoFeatureCollection['features'][number];
const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
/** The value of a metric in a node's figures: what the chart and the map colour by. */
export function metricOf(f: Figures, m: CockpitMetric): number {
  switch (m) {
    case 'eventsOpen':
      return f.eventsOpen;
    case 'eventsOverdue':
      return f.eventsOverdue;
    case 'directivesPending':
      return sum(f.directivesUnsigned) + sum(f.directivesUnreported);
    case 'directivesOverdue':
      return sum(f.directivesOverdue);
    case 'reportsMissing':
      return f.reportsExpected - f.reportsSubmitted;
    case 'noticesUndelivered':
      return f.noticesHouseholds - f.noticesDelivered;
  }
}
const STEPS = ['#f0f0f0', '#fee8c8', '#fdbb84', '#fc8d59', '#e34a33', '#b30000'];
const colorFor = (v: number, max: number) =>
  v <= 0 || max <= 0
    ? STEPS[0]!
    : STEPS[Math.min(STEPS.length - 1, 1 + Math.floor(((v - 1) / Math.max(1, max)) * (STEPS.length - 1)))]!;

function Figure({
  title,
  value,
  sub,
  danger,
  testId,
}: {
  title: string;
  value: number | string;
  sub?: React.ReactNode;
  danger?: boolean;
  testId: string;
}) {
  return (
    <Card size="small" className="linli-cockpit-figure">
      <Statistic
        title={title}
        value={value}
        valueStyle={danger ? { color: '#c8102e' } : undefined}
        valueRender={(v) => <span data-testid={testId}>{v}</span>}
      />
      {sub && <div style={{ marginTop: 4 }}>{sub}</div>}
    </Card>
  );
}

export default function CockpitPage({ screen = false }: { screen?: boolean }) {
  const { t } = useTranslation();
  const levelLabel = useLevelLabel();
  const { node: chosen } = useJurisdiction();
  const [params, setParams] = useSearchParams();
  const command = params.get('command') ? Number(params.get('command')) : undefined;
  const [metric, setMetric] = useState<CockpitMetric>('eventsOpen');
  const [trail, setTrail] = useState<{ id: number; name: string }[]>([]);
  const nodeId = trail.at(-1)?.id ?? chosen?.id;
  const cockpit = useCockpit(nodeId, command, metric);
  const commands = useCommands('true');
  const polygons = useNodePolygons(cockpit.data?.node.id, 'grid');
  const config = useAppConfig();
  const data = cockpit.data;
  const f = data?.figures;

  const gridValues = useMemo(() => new Map((data?.map.grids ?? []).map((g) => [g.id, g.value])), [data]);
  const maxGrid = useMemo(() => Math.max(0, ...gridValues.values()), [gridValues]);
  const features: Feature[] = useMemo(() => polygons.data?.features ?? [], [polygons.data]);
  const collection: GeoJSON.FeatureCollection = useMemo(
    () => ({ type: 'FeatureCollection', features }),
    [features],
  );
  const bounds = useMemo(
    () => (features.length > 0 ? L.geoJSON(collection).getBounds() : null),
    [features, collection],
  );
  const mapSig = useMemo(() => (data?.map.grids ?? []).map((g) => `${g.id}:${g.value}`).join(','), [data]);

  const chart = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 16, top: 24, bottom: 60 },
      xAxis: {
        type: 'category',
        data: data?.children.map((c) => c.node.name) ?? [],
        axisLabel: { rotate: 30, color: screen ? '#d9d9d9' : undefined },
      },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { color: screen ? '#d9d9d9' : undefined } },
      series: [
        {
          name: t(`command.metric_${metric}`),
          type: 'bar',
          itemStyle: { color: '#c8102e' },
          data: data?.children.map((c) => metricOf(c.figures, metric)) ?? [],
        },
      ],
    }),
    [data, metric, t, screen],
  );
  const onChartClick = (e: { dataIndex: number }) => {
    const c = data?.children[e.dataIndex];
    if (c && c.node.level !== 'grid') setTrail([...trail, { id: c.node.id, name: c.node.name }]);
  };

  if (cockpit.isError) return <ErrorAlert error={cockpit.error} />;
  if (!data || !f) return <PageSpin />;
  const pending = sum(f.directivesUnsigned) + sum(f.directivesUnreported);
  const byLevel = (r: Record<string, number>) =>
    Object.entries(r)
      .filter(([, v]) => v > 0)
      .map(([l, v]) => `${levelLabel(l as Level)} ${v}`)
      .join(' · ') || '—';

  return (
    <div className={screen ? 'linli-screen' : undefined} data-testid="cockpit">
      <div className="linli-page-title">
        <h1>
          {t('command.cockpitTitle')} · <span data-testid="cockpit-node">{data.node.name}</span>
        </h1>
        <Space wrap>
          <Select
            allowClear
            style={{ minWidth: 200 }}
            placeholder={t('command.allCommands')}
            aria-label={t('command.command')}
            value={command}
            onChange={(v?: number) => setParams(v ? { command: String(v) } : {})}
            options={(commands.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
          {screen ? (
            <Button onClick={() => void document.documentElement.requestFullscreen?.()}>
              {t('command.fullscreen')}
            </Button>
          ) : (
            <Link to={`/screen${command ? `?command=${command}` : ''}`}>{t('command.bigScreen')}</Link>
          )}
        </Space>
      </div>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { title: <a onClick={() => setTrail([])}>{chosen?.name ?? data.node.name}</a> },
          ...trail.map((n, i) => ({
            title: <a onClick={() => setTrail(trail.slice(0, i + 1))}>{n.name}</a>,
          })),
        ]}
      />
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        <Col xs={12} md={8} xl={4}>
          <Figure title={t('command.figEventsOpen')} value={f.eventsOpen} testId="fig-events-open" />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Figure
            title={t('command.figEventsOverdue')}
            value={f.eventsOverdue}
            danger={f.eventsOverdue > 0}
            testId="fig-events-overdue"
          />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Figure
            title={t('command.figDirectivesPending')}
            value={pending}
            sub={
              <Typography.Text type="secondary">
                {t('command.unsignedBy', { list: byLevel(f.directivesUnsigned) })}
              </Typography.Text>
            }
            testId="fig-directives-pending"
          />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Figure
            title={t('command.figDirectivesOverdue')}
            value={sum(f.directivesOverdue)}
            danger={sum(f.directivesOverdue) > 0}
            sub={<Typography.Text type="secondary">{byLevel(f.directivesOverdue)}</Typography.Text>}
            testId="fig-directives-overdue"
          />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Figure
            title={t('command.figReports')}
            value={`${f.reportsSubmitted}/${f.reportsExpected}`}
            sub={
              <Progress
                aria-label={t('command.figReports')}
                size="small"
                percent={f.reportsExpected ? Math.round((f.reportsSubmitted / f.reportsExpected) * 100) : 0}
              />
            }
            testId="fig-reports"
          />
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Figure
            title={t('command.figNotices')}
            value={`${f.noticesDelivered}/${f.noticesHouseholds}`}
            sub={
              <Progress
                aria-label={t('command.figNotices')}
                size="small"
                percent={
                  f.noticesHouseholds ? Math.round((f.noticesDelivered / f.noticesHouseholds) * 100) : 0
                }
              />
            }
            testId="fig-notices"
          />
        </Col>
      </Row>
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={14}>
          <Card
            size="small"
            title={t('command.mapTitle')}
            extra={
              <Select<CockpitMetric>
                value={metric}
                onChange={setMetric}
                style={{ minWidth: 180 }}
                data-testid="cockpit-metric"
                aria-label={t('command.mapMetric')}
                options={COCKPIT_METRICS.map((m) => ({ value: m, label: t(`command.metric_${m}`) }))}
              />
            }
          >
            <MapContainer
              className="linli-map"
              center={[30.23, 119.72]}
              zoom={10}
              scrollWheelZoom
              style={{ height: screen ? 520 : 420 }}
            >
              {config.data?.mapTileUrl && <TileLayer url={config.data.mapTileUrl} />}
              {features.length > 0 && (
                <GeoJSON
                  key={`${data.node.id}-${polygons.dataUpdatedAt}-${mapSig}`}
                  data={collection}
                  style={(feat) => ({
                    color: '#595959',
                    weight: 1,
                    fillOpacity: 0.7,
                    fillColor: colorFor(
                      gridValues.get((feat as Feature | undefined)?.properties.id ?? 0) ?? 0,
                      maxGrid,
                    ),
                  })}
                  onEachFeature={(feature, layer) => {
                    const p = (feature as Feature).properties;
                    layer.bindTooltip(`${p.name}：${gridValues.get(p.id) ?? 0}`, { sticky: true });
                  }}
                />
              )}
              {bounds && <FitBounds bounds={bounds} fitKey={`${data.node.id}:${features.length}`} />}
            </MapContainer>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card
            size="small"
            title={t('command.childrenTitle', { metric: t(`command.metric_${metric}`) })}
            style={{ marginBottom: 12 }}
          >
            {data.children.length > 0 ? (
              <ReactEChartsCore
                echarts={echarts}
                option={chart}
                style={{ height: 240 }}
                onEvents={{ click: onChartClick }}
              />
            ) : (
              <Typography.Text type="secondary">—</Typography.Text>
            )}
            <Space wrap size={[4, 4]} data-testid="cockpit-children">
              {data.children.map((c) => (
                <Tag
                  key={c.node.id}
                  style={{ cursor: c.node.level === 'grid' ? undefined : 'pointer' }}
                  onClick={() =>
                    c.node.level !== 'grid' && setTrail([...trail, { id: c.node.id, name: c.node.name }])
                  }
                  data-testid={`cockpit-child-${c.node.id}`}
                >
                  {c.node.name} {metricOf(c.figures, metric)}
                </Tag>
              ))}
            </Space>
          </Card>
          <Card size="small" title={t('command.escalations')}>
            <List
              size="small"
              data-testid="cockpit-escalations"
              dataSource={data.escalations}
              locale={{ emptyText: t('command.noEscalations') }}
              renderItem={(e) => (
                <List.Item>
                  <Space direction="vertical" size={0}>
                    <Link to={e.kind === 'event' ? `/events/${e.id}` : `/directives/${e.id}`}>
                      <Tag color={e.kind === 'event' ? 'orange' : 'purple'}>
                        {t(e.kind === 'event' ? 'command.kindEvent' : 'command.kindDirective')}
                      </Tag>
                      {e.title}
                    </Link>
                    <Typography.Text type="secondary">{`${formatTime(e.at)} · ${e.node}${e.text ? ` · ${e.text}` : ''}`}</Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
