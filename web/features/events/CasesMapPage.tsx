// /events/map — the open events of the chosen jurisdiction on a map: a marker per event with a map
// point (red when overdue, else coloured by who holds it), over the subtree's grid polygons coloured
// by how many open events each holds. The server filters as the events list does, so the map shows
// nothing the caller could not list. No tile layer unless GET /api/config gives a tile URL.
import 'leaflet/dist/leaflet.css';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import L from 'leaflet';
import { CircleMarker, GeoJSON, MapContainer, Pane, Popup, TileLayer } from 'react-leaflet';
import { Alert, Card, Cascader, Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EventPoint } from '../../../common/contracts/event-views.js';
import { categoryTree, useCategories, useEventPoints, type EventState } from '../../api/events.js';
import { useAppConfig, useNodePolygons } from '../../api/nodes.js';
import type { GeoFeatureCollection } from '../../api/types.js';
import { useLabel } from '../../app/format.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { FilterBar } from '../../app/components/FilterBar.js';
import { FitBounds } from '../nodes/NodeMap.js';
import { OverdueTag, StateTag, useEventLabels } from './labels.js';

type Feature = GeoFeatureCollection['features'][number];

const LINLI_CENTER: L.LatLngTuple = [30.23, 119.72];
/** Open events per grid → fill colour; fixed steps so that colours mean the same on every visit. */
const GRID_STEPS = [
  { from: 0, label: '0', color: '#f5f5f5' },
  { from: 1, label: '1–2', color: '#fdd49e' },
  { from: 3, label: '3–5', color: '#fdbb84' },
  { from: 6, label: '6–10', color: '#fc8d59' },
  { from: 11, label: '11+', color: '#d7301f' },
] as const;
const gridColor = (open: number) => [...GRID_STEPS].reverse().find((s) => open >= s.from)!.color;

/** Who holds an open event: overdue above all, else waiting for the owner, the department or verification. */
type PointKind = 'overdue' | 'triage' | 'handling' | 'verify';
const POINT_COLORS: Record<PointKind, string> = {
  overdue: '#c8102e',
  triage: '#d48806',
  handling: '#1f5fbf',
  verify: '#389e0d',
};
const WITH_DEPARTMENT: ReadonlySet<EventState> = new Set([
  'dispatched',
  'in_progress',
  'extension_requested',
  'parked',
]);
const kindOf = (p: EventPoint): PointKind =>
  p.overdue
    ? 'overdue'
    : p.state === 'handled'
      ? 'verify'
      : WITH_DEPARTMENT.has(p.state)
        ? 'handling'
        : 'triage';
const KIND_LABEL = {
  overdue: 'eventViews.pointOverdue',
  triage: 'eventViews.pointTriage',
  handling: 'eventViews.pointHandling',
  verify: 'eventViews.pointVerify',
} as const;
/** Past this many markers, draw them on one canvas: thousands of SVG elements make panning crawl. */
const CANVAS_FROM = 1000;
/** Markers get a pane of their own above the grids (overlays sit at 400), so a redrawn grid layer never covers them. */
const CASES_PANE = 'linli-cases';

function Swatch({ color, round }: { color: string; round?: boolean }) {
  return (
    <span
      style={{
        display: 'inline-block',
        width: 12,
        height: 12,
        marginRight: 4,
        verticalAlign: 'middle',
        background: color,
        border: '1px solid #8c8c8c',
        borderRadius: round ? 6 : 2,
      }}
    />
  );
}

export default function CasesMapPage() {
  const { t } = useTranslation();
  const labels = useEventLabels();
  const label = useLabel();
  const { node } = useJurisdiction();
  const config = useAppConfig();
  const categories = useCategories();
  const [category, setCategory] = useState<number | undefined>();
  const [overdue, setOverdue] = useState<'true' | 'false' | undefined>();
  const [categoryPath, setCategoryPath] = useState<number[] | undefined>();

  const points = useEventPoints({ node: node?.id, category, overdue });
  const polygons = useNodePolygons(node?.id, 'grid');
  const features: Feature[] = useMemo(() => polygons.data?.features ?? [], [polygons.data]);
  const items = useMemo(() => points.data?.items ?? [], [points.data]);
  const counts = useMemo(() => new Map((points.data?.grids ?? []).map((g) => [g.nodeId, g])), [points.data]);
  // What the polygons show: a refetch that changes no count keeps the layer (and an open tooltip).
  const countsSig = useMemo(
    () => (points.data?.grids ?? []).map((g) => `${g.nodeId}:${g.open}:${g.overdue}`).join(','),
    [points.data],
  );
  const canvas = useMemo(() => L.canvas({ padding: 0.5, pane: CASES_PANE }), []);

  const collection: GeoJSON.FeatureCollection = useMemo(
    () => ({ type: 'FeatureCollection', features }),
    [features],
  );
  const bounds = useMemo(() => {
    if (features.length > 0) return L.geoJSON(collection).getBounds();
    if (items.length > 0) return L.latLngBounds(items.map((p) => [p.lat, p.lng] as L.LatLngTuple));
    return null;
  }, [features, collection, items]);
  const fitKey = `${node?.id ?? 0}:${features.length}:${features.length > 0 ? 0 : items.length}`;
  const many = items.length >= CANVAS_FROM;

  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('eventViews.mapTitle')}</h1>
      </div>
      <FilterBar
        active={(category === undefined ? 0 : 1) + (overdue === undefined ? 0 : 1)}
        onClear={() => {
          setCategoryPath(undefined);
          setCategory(undefined);
          setOverdue(undefined);
        }}
        fields={[
          {
            id: 'map-filter-category',
            label: t('events.category'),
            control: (
              <Cascader
                id="map-filter-category"
                data-testid="map-category"
                changeOnSelect
                allowClear
                placeholder={t('common.all')}
                value={categoryPath}
                options={categoryTree(categories.data?.items ?? [], (c) =>
                  label({ zh: c.nameZh, en: c.nameEn }),
                )}
                onChange={(v) => {
                  const path = v as number[] | undefined;
                  setCategoryPath(path);
                  setCategory(path?.at(-1));
                }}
              />
            ),
          },
          {
            id: 'map-filter-overdue',
            label: t('events.overdue'),
            control: (
              <Select
                id="map-filter-overdue"
                data-testid="map-overdue"
                allowClear
                placeholder={t('common.all')}
                style={{ minWidth: 120 }}
                value={overdue}
                options={labels.overdueOptions}
                onChange={(v?: 'true' | 'false') => setOverdue(v)}
              />
            ),
          },
        ]}
        extra={node && <Tag>{t('common.scopeOf', { name: node.name })}</Tag>}
      />
      {points.isError && <ErrorAlert error={points.error} style={{ marginBottom: 12 }} />}
      {polygons.isError && <ErrorAlert error={polygons.error} style={{ marginBottom: 12 }} />}
      {points.data?.truncated && (
        <Alert
          type="warning"
          showIcon
          title={t('eventViews.truncated', { n: items.length })}
          style={{ marginBottom: 12 }}
        />
      )}
      {node && polygons.isSuccess && features.length === 0 && (
        <Alert type="info" showIcon title={t('eventViews.noPolygons')} style={{ marginBottom: 12 }} />
      )}
      <Card
        size="small"
        title={
          <Space wrap>
            <Tag color="blue" data-testid="map-open">
              {t('eventViews.open', { n: points.data?.totals.open ?? 0 })}
            </Tag>
            <Tag color="red" data-testid="map-overdue-count">
              {t('eventViews.overdue', { n: points.data?.totals.overdue ?? 0 })}
            </Tag>
            {(points.data?.outsideGrids ?? 0) > 0 && (
              <Tag>{t('eventViews.outsideGrids', { n: points.data!.outsideGrids })}</Tag>
            )}
          </Space>
        }
      >
        <div data-testid="cases-map">
          <MapContainer
            className="linli-map"
            center={LINLI_CENTER}
            zoom={11}
            scrollWheelZoom
            style={{ height: 560 }}
          >
            {config.data?.mapTileUrl && <TileLayer url={config.data.mapTileUrl} />}
            {features.length > 0 && (
              <GeoJSON
                // Leaflet styles a layer once: a new key redraws it when the counts change.
                key={`grids-${node?.id ?? 0}-${polygons.dataUpdatedAt}-${countsSig}`}
                data={collection}
                style={(f) => {
                  const open = counts.get((f as Feature | undefined)?.properties.id ?? 0)?.open ?? 0;
                  return {
                    className: 'linli-polygon',
                    color: '#595959',
                    weight: 1,
                    fillColor: gridColor(open),
                    fillOpacity: 0.6,
                  };
                }}
                onEachFeature={(feature, layer) => {
                  const props = (feature as Feature).properties;
                  const c = counts.get(props.id);
                  layer.bindTooltip(
                    t('eventViews.gridTooltip', {
                      name: props.name,
                      open: c?.open ?? 0,
                      overdue: c?.overdue ?? 0,
                    }),
                    { sticky: true },
                  );
                  layer.on('add', () =>
                    (layer as L.Path).getElement()?.setAttribute('data-node-id', String(props.id)),
                  );
                }}
              />
            )}
            <Pane name={CASES_PANE} style={{ zIndex: 450 }}>
              {items.map((p) => (
                <CircleMarker
                  // Leaflet takes the renderer and class when a marker is made: a switch to canvas makes them anew.
                  key={`${p.id}-${many ? 'canvas' : 'svg'}`}
                  center={[p.lat, p.lng]}
                  radius={7}
                  className="linli-case-point"
                  {...(many ? { renderer: canvas } : {})}
                  pathOptions={{
                    color: '#ffffff',
                    weight: 1.5,
                    fillColor: POINT_COLORS[kindOf(p)],
                    fillOpacity: 0.9,
                  }}
                  eventHandlers={
                    many
                      ? {}
                      : {
                          add: (e) =>
                            (e.target as L.Path).getElement()?.setAttribute('data-event-id', String(p.id)),
                        }
                  }
                >
                  {/* Inside a Pane a popup would join that pane, under the other markers: keep it in Leaflet's own. */}
                  <Popup pane="popupPane">
                    <div data-testid={`case-popup-${p.id}`}>
                      <Typography.Text strong>
                        <Link to={`/events/${p.id}`}>{p.title}</Link>
                      </Typography.Text>
                      <div className="linli-mono">{p.trackingCode}</div>
                      <div>{label({ zh: p.categoryNameZh, en: p.categoryNameEn })}</div>
                      <div style={{ marginTop: 4 }}>
                        <StateTag state={p.state} />
                        <OverdueTag overdue={p.overdue} />
                      </div>
                      <Link to={`/events/${p.id}`}>{t('eventViews.details')}</Link>
                    </div>
                  </Popup>
                </CircleMarker>
              ))}
            </Pane>
            <FitBounds bounds={bounds} fitKey={fitKey} />
          </MapContainer>
        </div>
        <Space wrap size="large" style={{ marginTop: 8 }} data-testid="map-legend">
          <span>
            <Typography.Text type="secondary" style={{ marginRight: 8 }}>
              {t('eventViews.legendGrids')}
            </Typography.Text>
            {GRID_STEPS.map((s) => (
              <span key={s.from} style={{ marginRight: 8 }}>
                <Swatch color={s.color} />
                {s.label}
              </span>
            ))}
          </span>
          <span>
            <Typography.Text type="secondary" style={{ marginRight: 8 }}>
              {t('eventViews.legendPoints')}
            </Typography.Text>
            {(Object.keys(POINT_COLORS) as PointKind[]).map((k) => (
              <span key={k} style={{ marginRight: 8 }}>
                <Swatch color={POINT_COLORS[k]} round />
                {t(KIND_LABEL[k])}
              </span>
            ))}
          </span>
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('eventViews.mapHint')} {t('eventViews.noPoint')}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
