// The node's own polygon and its children's (or all grids under it) on a Leaflet map.
// No tile layer unless GET /api/config gives a tile URL: polygons on a plain background.
import 'leaflet/dist/leaflet.css';
import { useEffect, useMemo, useState } from 'react';
import L from 'leaflet';
import { GeoJSON, MapContainer, TileLayer, useMap } from 'react-leaflet';
import { Alert, Card, Space, Switch, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAppConfig, useNodePolygons } from '../../api/nodes.js';
import type { GeoFeatureCollection, NodeDetail } from '../../api/types.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';

type Feature = GeoFeatureCollection['features'][number];

const LINLI_CENTER: L.LatLngTuple = [30.23, 119.72];
const CHILD_STYLE: L.PathOptions = {
  className: 'linli-polygon',
  color: '#1f5fbf',
  weight: 1.5,
  fillColor: '#1f5fbf',
  fillOpacity: 0.12,
};
const SELF_STYLE: L.PathOptions = {
  className: 'linli-polygon linli-polygon-self',
  color: '#c8102e',
  weight: 2.5,
  fill: true,
  fillOpacity: 0.03,
  dashArray: '6 4',
};

/** Fits the map to the bounds once per fitKey (not on every render, which would undo the user's panning). */
export function FitBounds({ bounds, fitKey }: { bounds: L.LatLngBounds | null; fitKey: string }) {
  const map = useMap();
  useEffect(() => {
    if (bounds?.isValid()) map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17 });
    // fitKey: refit when the node or the layer changes, not on every render
  }, [map, fitKey]); // eslint-disable-line react-hooks/exhaustive-deps
  return null;
}

export function NodeMap({ node, onNavigate }: { node: NodeDetail; onNavigate: (id: number) => void }) {
  const { t } = useTranslation();
  const config = useAppConfig();
  const canShowGrids = node.level === 'district' || node.level === 'town';
  const [allGrids, setAllGrids] = useState(false);
  const level = canShowGrids && allGrids ? 'grid' : undefined;
  const polygons = useNodePolygons(node.id, level);
  const features: Feature[] = useMemo(() => polygons.data?.features ?? [], [polygons.data]);
  const count = features.length + (node.polygon ? 1 : 0);

  const bounds = useMemo(() => {
    const all: GeoJSON.Feature[] = features.map((f) => ({
      type: 'Feature',
      geometry: f.geometry,
      properties: {},
    }));
    if (node.polygon) all.push({ type: 'Feature', geometry: node.polygon, properties: {} });
    if (all.length === 0) return null;
    const fc: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: all };
    return L.geoJSON(fc).getBounds();
  }, [features, node.polygon]);

  const center: L.LatLngTuple = node.centroid ? [node.centroid.lat, node.centroid.lng] : LINLI_CENTER;
  const tileUrl = config.data?.mapTileUrl ?? '';
  const selfFeature: GeoJSON.Feature | null = node.polygon
    ? { type: 'Feature', geometry: node.polygon, properties: { id: node.id, name: node.name } }
    : null;
  const childCollection: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features };
  const fitKey = `${node.id}:${level ?? 'children'}:${features.length}:${node.polygon ? 1 : 0}`;

  return (
    <Card
      size="small"
      title={t('nodes.map')}
      extra={
        <Space wrap>
          {canShowGrids && (
            <span>
              <Switch
                size="small"
                checked={allGrids}
                onChange={setAllGrids}
                aria-label={t('nodes.allGrids')}
                data-testid="map-all-grids"
              />{' '}
              <Typography.Text>{t('nodes.allGrids')}</Typography.Text>
            </span>
          )}
          <Tag>
            {t('nodes.polygonCount')}:{' '}
            <span data-testid="polygon-count">{polygons.isPending ? '…' : count}</span>
          </Tag>
        </Space>
      }
    >
      {polygons.isError && <ErrorAlert error={polygons.error} style={{ marginBottom: 8 }} />}
      {!polygons.isPending && count === 0 && (
        <Alert type="info" showIcon title={t('nodes.noPolygons')} style={{ marginBottom: 8 }} />
      )}
      <div data-testid="node-map">
        <MapContainer
          className="linli-map"
          center={center}
          zoom={node.level === 'district' ? 10 : 13}
          scrollWheelZoom
        >
          {tileUrl && <TileLayer url={tileUrl} />}
          {selfFeature && (
            <GeoJSON
              key={`self-${node.id}-${polygons.dataUpdatedAt}`}
              data={selfFeature}
              style={SELF_STYLE}
              interactive={false}
              onEachFeature={(_f, layer) => {
                layer.on('add', () =>
                  (layer as L.Path).getElement()?.setAttribute('data-node-id', String(node.id)),
                );
              }}
            />
          )}
          {features.length > 0 && (
            <GeoJSON
              key={`children-${node.id}-${level ?? 'children'}-${polygons.dataUpdatedAt}`}
              data={childCollection}
              style={CHILD_STYLE}
              onEachFeature={(feature, layer) => {
                const props = (feature as Feature).properties;
                layer.bindTooltip(props.name, { sticky: true });
                layer.on('click', () => onNavigate(props.id));
                layer.on('add', () =>
                  (layer as L.Path).getElement()?.setAttribute('data-node-id', String(props.id)),
                );
              }}
            />
          )}
          <FitBounds bounds={bounds} fitKey={fitKey} />
        </MapContainer>
      </div>
    </Card>
  );
}
