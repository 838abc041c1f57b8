// /cockpit (and the big screen at /screen) — 驾驶舱: for the chosen node, live figures per linkage
// (open and overdue cases, directives pending by level, today's daily reports, notices delivered),
// the children as a chart (click one to drill down), the grids on a map coloured by a chosen
// figure, and the latest escalations. Live updates refresh it; no reload, no polling.
// The wall screen is the same page in a dark theme laid out to fit the screen exactly (ADR 0014).
import 'leaflet/dist/leaflet.css';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import L from 'leaflet';
import { GeoJSON, MapContainer, TileLayer, useMap } from 'react-leaflet';
import {
  Breadcrumb,
  Button,
  Card,
  Col,
  ConfigProvider,
  List,
  Progress,
  Row,
  Select,
  Space,
  Statistic,
  Tag,
  theme as antdTheme,
  Typography,
  type ThemeConfig,
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
import { GridNames, type NamedArea } from './GridNames.js';

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
/** On the dark screen a grid with nothing is the panel's blue, and the warm steps glow on it. */
const SCREEN_STEPS = ['#1c3553', '#7a4a1e', '#b5651d', '#e07b24', '#f0502e', '#ff2d2d'];
const colorFor = (v: number, max: number, steps: string[]) =>
  v <= 0 || max <= 0
    ? steps[0]!
    : steps[Math.min(steps.length - 1, 1 + Math.floor(((v - 1) / Math.max(1, max)) * (steps.length - 1)))]!;

// The wall screen's colours: the page, its panels and the grids' outlines (global.css uses the same).
const SCREEN_PAGE = '#0b1a2e';
const SCREEN_PANEL = '#12263f';
const SCREEN_OUTLINE = '#7fa7d1';

/**
 * The screen's type grows with its height: a 4K wall (3840 × 2160 at one pixel per CSS pixel) gets
 * twice the type of a 1080p one, so it reads from as far away; a smaller window keeps the normal size.
 */
function useScreenScale(): number {
  const measure = () => Math.min(2, Math.max(1, window.innerHeight / 1080));
  const [scale, setScale] = useState(measure);
  useEffect(() => {
    const onResize = () => setScale(measure());
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return scale;
}

/** antd's dark algorithm for the screen only (the rest of the app stays light), at the screen's scale. */
function screenTheme(scale: number): ThemeConfig {
  const px = (n: number) => Math.round(n * scale);
  return {
    // Not inherited: the app's light theme darkens text and tags for a white page (web/app/theme.ts).
    inherit: false,
    algorithm: antdTheme.darkAlgorithm,
    token: {
      colorPrimary: '#3b82d6',
      colorInfo: '#3b82d6',
      colorBgLayout: SCREEN_PAGE,
      colorBgContainer: SCREEN_PANEL,
      colorBgElevated: '#17304f',
      colorBorderSecondary: '#1f3b5c',
      // The dark algorithm's quieter texts and links fall under 4.5:1 on the panels: read from across
      // a room, they must not (the browser suite runs axe on the screen).
      colorTextSecondary: 'rgba(255, 255, 255, 0.72)',
      colorTextTertiary: 'rgba(255, 255, 255, 0.7)',
      colorTextDescription: 'rgba(255, 255, 255, 0.7)',
      colorTextPlaceholder: 'rgba(255, 255, 255, 0.65)',
      colorLink: '#7ab8ff',
      colorLinkHover: '#a6d0ff',
      borderRadius: 6,
      fontSize: px(14),
      controlHeight: px(32),
      fontFamily:
        '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "Helvetica Neue", Arial, sans-serif',
    },
    components: {
      Statistic: { contentFontSize: px(32), titleFontSize: px(14) },
      // A directive's purple tag reads too dim on the dark panel at the dark algorithm's shade.
      Tag: { purple7: '#d3adf7' },
    },
  };
}

/** Leaflet measures its box once: a panel that changes size (the screen's grid rows) must say so. */
function FollowSize() {
  const map = useMap();
  useEffect(() => {
    const observer = new ResizeObserver(() => map.invalidateSize());
    observer.observe(map.getContainer());
    return () => observer.disconnect();
  }, [map]);
  return null;
}

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
        valueStyle={danger ? { color: 'var(--linli-danger, #c8102e)' } : undefined}
        valueRender={(v) => <span data-testid={testId}>{v}</span>}
      />
      {sub && <div style={{ marginTop: 4 }}>{sub}</div>}
    </Card>
  );
}

export default function CockpitPage({ screen = false }: { screen?: boolean }) {
  return screen ? <WallScreen /> : <Cockpit screen={false} scale={1} />;
}

function WallScreen() {
  const scale = useScreenScale();
  const theme = useMemo(() => screenTheme(scale), [scale]);
  return (
    <ConfigProvider theme={theme}>
      <div className="linli-screen-frame" style={{ ['--linli-scale' as string]: scale }}>
        <Cockpit screen scale={scale} />
      </div>
    </ConfigProvider>
  );
}

function Cockpit({ screen, scale }: { screen: boolean; scale: number }) {
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
  const named: NamedArea[] = useMemo(
    () => features.map((x) => ({ id: x.properties.id, name: x.properties.name, geometry: x.geometry })),
    [features],
  );
  const mapSig = useMemo(() => (data?.map.grids ?? []).map((g) => `${g.id}:${g.value}`).join(','), [data]);

  const chart = useMemo(
    () => ({
      // On the screen: echarts' dark theme, drawn on the panel's own colour.
      backgroundColor: screen ? SCREEN_PANEL : 'transparent',
      tooltip: { trigger: 'axis' },
      grid: { left: 40 * scale, right: 16 * scale, top: 24 * scale, bottom: 60 * scale },
      xAxis: {
        type: 'category',
        data: data?.children.map((c) => c.node.name) ?? [],
        axisLabel: { rotate: 30, fontSize: 12 * scale },
      },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 12 * scale } },
      series: [
        {
          name: t(`command.metric_${metric}`),
          type: 'bar',
          itemStyle: { color: '#c8102e' },
          data: data?.children.map((c) => metricOf(c.figures, metric)) ?? [],
        },
      ],
    }),
    [data, metric, t, screen, scale],
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

  const title = (
    <div className="linli-page-title">
      <h1>
        {t('command.cockpitTitle')} · <span data-testid="cockpit-node">{data.node.name}</span>
      </h1>
      <Space wrap>
        <Select
          allowClear
          style={{ minWidth: 200 * scale }}
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
  );
  const breadcrumb = (
    <Breadcrumb
      style={screen ? undefined : { marginBottom: 12 }}
      items={[
        { title: <a onClick={() => setTrail([])}>{chosen?.name ?? data.node.name}</a> },
        ...trail.map((n, i) => ({
          title: <a onClick={() => setTrail(trail.slice(0, i + 1))}>{n.name}</a>,
        })),
      ]}
    />
  );
  const figures = [
    <Figure key="open" title={t('command.figEventsOpen')} value={f.eventsOpen} testId="fig-events-open" />,
    <Figure
      key="overdue"
      title={t('command.figEventsOverdue')}
      value={f.eventsOverdue}
      danger={f.eventsOverdue > 0}
      testId="fig-events-overdue"
    />,
    <Figure
      key="pending"
      title={t('command.figDirectivesPending')}
      value={pending}
      sub={
        <Typography.Text type="secondary">
          {t('command.unsignedBy', { list: byLevel(f.directivesUnsigned) })}
        </Typography.Text>
      }
      testId="fig-directives-pending"
    />,
    <Figure
      key="dir-overdue"
      title={t('command.figDirectivesOverdue')}
      value={sum(f.directivesOverdue)}
      danger={sum(f.directivesOverdue) > 0}
      sub={<Typography.Text type="secondary">{byLevel(f.directivesOverdue)}</Typography.Text>}
      testId="fig-directives-overdue"
    />,
    <Figure
      key="reports"
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
    />,
    <Figure
      key="notices"
      title={t('command.figNotices')}
      value={`${f.noticesDelivered}/${f.noticesHouseholds}`}
      sub={
        <Progress
          aria-label={t('command.figNotices')}
          size="small"
          percent={f.noticesHouseholds ? Math.round((f.noticesDelivered / f.noticesHouseholds) * 100) : 0}
        />
      }
      testId="fig-notices"
    />,
    <Figure
      key="on-duty"
      title={t('command.figOnDuty')}
      value={f.staffedNow}
      sub={
        <Typography.Text
          // The page's danger red, which the wall screen lightens for its dark ground.
          type={f.uncoveredNext24h > 0 ? undefined : 'secondary'}
          style={f.uncoveredNext24h > 0 ? { color: 'var(--linli-danger, #c8102e)' } : undefined}
          data-testid="fig-uncovered-24h"
        >
          {t('command.uncoveredNext24h', {
            uncovered: f.uncoveredNext24h,
            understaffed: f.understaffedNext24h,
          })}
        </Typography.Text>
      }
      testId="fig-on-duty"
    />,
    <Figure
      key="passages"
      title={t('command.figPassages')}
      value={f.passages}
      sub={
        <Typography.Text type={f.handoffsOpen > 0 ? 'warning' : 'secondary'}>
          {t('command.passagesSub', { risky: f.passagesRisky, handoffs: f.handoffsOpen })}
        </Typography.Text>
      }
      testId="fig-passages"
    />,
    <Figure
      key="observations"
      title={t('command.figObservations')}
      value={f.observationsActive}
      sub={
        <Typography.Text
          type={f.observationsUnwell !== 0 || f.observationsMissed !== 0 ? 'warning' : 'secondary'}
        >
          {t('command.observationsSub', {
            due: f.observationsDueToday,
            missed: f.observationsMissed,
            unwell: f.observationsUnwell,
          })}
        </Typography.Text>
      }
      testId="fig-observations"
    />,
    <Figure
      key="sweeps"
      title={t('command.figSweeps')}
      value={`${f.sweepDone}/${f.sweepTargets}`}
      sub={
        <>
          <Progress
            aria-label={t('command.figSweeps')}
            size="small"
            percent={f.sweepTargets ? Math.floor((f.sweepDone / f.sweepTargets) * 100) : 0}
          />
          <Typography.Text type={f.sweepHigh !== 0 ? 'warning' : 'secondary'}>
            {t('command.sweepsSub', { high: f.sweepHigh })}
          </Typography.Text>
        </>
      }
      testId="fig-sweeps"
    />,
    <Figure
      key="mediation"
      title={t('command.figMediation')}
      value={f.mediationOpen}
      sub={
        <Typography.Text type={f.confirmationsPending > 0 ? 'warning' : 'secondary'}>
          <span data-testid="fig-mediation-concluded">
            {t('command.mediationConcluded', { n: f.mediationConcludedMonth })}
          </span>
          {' · '}
          <span data-testid="fig-confirmations-pending">
            {t('command.confirmationsPending', { n: f.confirmationsPending })}
          </span>
        </Typography.Text>
      }
      testId="fig-mediation-open"
    />,
    <Figure
      key="services"
      title={t('command.figServices')}
      value={f.serviceRequestsOpen}
      sub={
        <Typography.Text type={f.careVisitsOverdue > 0 ? 'warning' : 'secondary'}>
          <span data-testid="fig-callouts-open">{t('command.servicesCallouts', { n: f.calloutsOpen })}</span>
          {' · '}
          <span data-testid="fig-volunteer-hours">
            {t('command.servicesHours', { n: f.volunteerHoursMonth })}
          </span>
          {' · '}
          <span data-testid="fig-care-overdue">
            {t('command.servicesCareOverdue', { n: f.careVisitsOverdue })}
          </span>
        </Typography.Text>
      }
      testId="fig-service-requests-open"
    />,
    <Figure
      key="care"
      title={t('command.figCareAlerts')}
      value={f.careAlertsOpen}
      danger={f.careAlertsOpen !== 0}
      sub={
        <Typography.Text type={f.scalesCrisisMonth !== 0 ? 'warning' : 'secondary'}>
          <span data-testid="fig-scales-submitted">
            {t('command.careScalesMonth', { n: f.scalesSubmittedMonth })}
          </span>
          {' · '}
          <span data-testid="fig-scales-crisis">
            {t('command.careCrisisMonth', { n: f.scalesCrisisMonth })}
          </span>
        </Typography.Text>
      }
      testId="fig-care-alerts-open"
    />,
  ];
  const mapCard = (
    <Card
      size="small"
      className={screen ? 'linli-screen-panel linli-screen-map' : undefined}
      title={t('command.mapTitle')}
      extra={
        <Select<CockpitMetric>
          value={metric}
          onChange={setMetric}
          style={{ minWidth: 180 * scale }}
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
        // On the screen the grids fill their panel: quarter steps of zoom, not whole ones.
        zoomSnap={screen ? 0.25 : 1}
        scrollWheelZoom
        style={screen ? { height: '100%' } : { height: 420 }}
      >
        {config.data?.mapTileUrl && <TileLayer url={config.data.mapTileUrl} />}
        {features.length > 0 && (
          <GeoJSON
            key={`${data.node.id}-${polygons.dataUpdatedAt}-${mapSig}`}
            data={collection}
            style={(feat) => ({
              color: screen ? SCREEN_OUTLINE : '#595959',
              weight: 1,
              fillOpacity: 0.7,
              fillColor: colorFor(
                gridValues.get((feat as Feature | undefined)?.properties.id ?? 0) ?? 0,
                maxGrid,
                screen ? SCREEN_STEPS : STEPS,
              ),
            })}
            onEachFeature={(feature, layer) => {
              const p = (feature as Feature).properties;
              layer.bindTooltip(`${p.name}：${gridValues.get(p.id) ?? 0}`, { sticky: true });
            }}
          />
        )}
        {screen && <GridNames areas={named} />}
        {screen && <FollowSize />}
        {bounds && <FitBounds bounds={bounds} fitKey={`${data.node.id}:${features.length}`} />}
      </MapContainer>
    </Card>
  );
  const childTags = (
    <Space
      wrap
      size={[4, 4]}
      data-testid="cockpit-children"
      className={screen ? 'linli-screen-tags' : undefined}
    >
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
  );
  const chartCard = (
    <Card
      size="small"
      className={screen ? 'linli-screen-panel linli-screen-chart' : undefined}
      title={t('command.childrenTitle', { metric: t(`command.metric_${metric}`) })}
      style={screen ? undefined : { marginBottom: 12 }}
    >
      {data.children.length > 0 ? (
        <ReactEChartsCore
          echarts={echarts}
          theme={screen ? 'dark' : undefined}
          option={chart}
          className={screen ? 'linli-screen-echart' : undefined}
          style={screen ? undefined : { height: 240 }}
          onEvents={{ click: onChartClick }}
        />
      ) : (
        <Typography.Text type="secondary">—</Typography.Text>
      )}
      {childTags}
    </Card>
  );
  const escalationList = (
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
  );
  const escalationsCard = (
    <Card size="small" className={screen ? 'linli-screen-panel' : undefined} title={t('command.escalations')}>
      {screen ? (
        // The list scrolls inside its panel; a region that takes focus, so the keyboard scrolls it too.
        <div className="linli-screen-scroll" role="region" aria-label={t('command.escalations')} tabIndex={0}>
          {escalationList}
        </div>
      ) : (
        escalationList
      )}
    </Card>
  );

  if (screen)
    return (
      <div className="linli-screen" data-testid="cockpit">
        <div className="linli-screen-head">
          {title}
          {breadcrumb}
        </div>
        <div className="linli-screen-figures">{figures}</div>
        <div className="linli-screen-main">
          {mapCard}
          <div className="linli-screen-side">
            {chartCard}
            {escalationsCard}
          </div>
        </div>
      </div>
    );
  return (
    <div data-testid="cockpit">
      {title}
      {breadcrumb}
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        {figures.map((fig) => (
          <Col key={fig.key} xs={12} md={6} xl={3}>
            {fig}
          </Col>
        ))}
      </Row>
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={14}>
          {mapCard}
        </Col>
        <Col xs={24} xl={10}>
          {chartCard}
          {escalationsCard}
        </Col>
      </Row>
    </div>
  );
}
