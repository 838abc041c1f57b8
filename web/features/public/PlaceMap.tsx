// The resident's map: the areas around the chosen place drawn with their names (the towns at first,
// then the villages of a town or the grids of a village), the marked spot, and a tap to mark it.
// Without a tile server (MAP_TILE_URL unset) the outlines and names are the map.
import 'leaflet/dist/leaflet.css';
import { useEffect, useMemo } from 'react';
import L from 'leaflet';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { CircleMarker, GeoJSON, MapContainer, TileLayer, useMap, useMapEvents } from 'react-leaflet';
import type { PublicAreas } from '../../api/types.js';

const DISTRICT_SEAT: [number, number] = [30.23, 119.72];
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

function Picker({ onPick }: { onPick: (lat: number, lng: number) => void }) {
  useMapEvents({ click: (e) => onPick(round6(e.latlng.lat), round6(e.latlng.lng)) });
  return null;
}

/** Shows the areas whole when they change, or the spot when there are none. */
function Framing({
  areas,
  point,
}: {
  areas: PublicAreas | undefined;
  point: { lat: number; lng: number } | null;
}) {
  const map = useMap();
  const areasKey = areas?.features.map((f) => f.id).join(',') ?? '';
  useEffect(() => {
    if (areas && areas.features.length > 0) {
      const bounds = L.geoJSON(areas).getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
    } else if (point) map.setView([point.lat, point.lng], Math.max(map.getZoom(), 14));
    // Only a new set of areas, or a spot without areas, moves the view: a tap inside the areas keeps it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [areasKey, map]);
  return null;
}

/**
 * Each area's name, where it does not cover another's: the chosen area's first, then the larger
 * ones. Zooming in makes room for more of them.
 */
function fitLabels(map: L.Map, selectedId: number | undefined) {
  const labels: { el: HTMLElement; rank: number }[] = [];
  map.eachLayer((layer) => {
    const el = layer.getTooltip()?.getElement();
    if (!el || !(layer instanceof L.Polygon)) return;
    const b = layer.getBounds();
    const nw = map.latLngToContainerPoint(b.getNorthWest());
    const se = map.latLngToContainerPoint(b.getSouthEast());
    const chosen = (layer.feature as GeoJSON.Feature | undefined)?.id === selectedId;
    labels.push({ el, rank: chosen ? Infinity : (se.x - nw.x) * (se.y - nw.y) });
  });
  const shown: DOMRect[] = [];
  for (const { el } of labels.sort((a, b) => b.rank - a.rank)) {
    el.style.visibility = '';
    const r = el.getBoundingClientRect();
    const covers = shown.some(
      (o) => r.left < o.right && o.left < r.right && r.top < o.bottom && o.top < r.bottom,
    );
    if (covers) el.style.visibility = 'hidden';
    else shown.push(r);
  }
}
function Labels({ areasKey, selectedId }: { areasKey: string; selectedId: number | undefined }) {
  const map = useMapEvents({ zoomend: () => fitLabels(map, selectedId) });
  useEffect(() => {
    const frame = requestAnimationFrame(() => fitLabels(map, selectedId));
    return () => cancelAnimationFrame(frame);
  }, [map, areasKey, selectedId]);
  return null;
}

/** Zoom buttons of a finger's size (Leaflet's own are 30 px). */
function Zoom() {
  const { t } = useTranslation();
  const map = useMap();
  return (
    <div
      ref={(el) => {
        if (el) L.DomEvent.disableClickPropagation(el);
      }}
      style={{
        position: 'absolute',
        top: 8,
        right: 8,
        zIndex: 1000,
        display: 'flex',
        flexDirection: 'column',
        gap: 4,
      }}
    >
      <Button aria-label={t('public.zoomIn')} onClick={() => map.zoomIn()} style={{ width: 44, height: 44 }}>
        +
      </Button>
      <Button
        aria-label={t('public.zoomOut')}
        onClick={() => map.zoomOut()}
        style={{ width: 44, height: 44 }}
      >
        −
      </Button>
    </div>
  );
}

export function PlaceMap({
  areas,
  selectedId,
  point,
  onPick,
  tileUrl,
  testId,
}: {
  areas: PublicAreas | undefined;
  /** The area the report goes to, drawn stronger. */
  selectedId: number | undefined;
  point: { lat: number; lng: number } | null;
  onPick: (lat: number, lng: number) => void;
  tileUrl: string | undefined;
  testId: string;
}) {
  const { t } = useTranslation();
  // react-leaflet's GeoJSON keeps the data it was made with: a new set of areas is a new layer.
  const key = useMemo(
    () => `${areas?.features.map((f) => f.id).join(',') ?? ''}|${selectedId ?? ''}`,
    [areas, selectedId],
  );
  return (
    <div data-testid={testId} role="region" aria-label={t('public.mapLabel')}>
      <MapContainer
        className="linli-map"
        center={point ? [point.lat, point.lng] : DISTRICT_SEAT}
        zoom={point ? 15 : 10}
        scrollWheelZoom
        zoomSnap={0.25}
        zoomControl={false}
        attributionControl={Boolean(tileUrl)}
        style={{ height: 300 }}
      >
        {tileUrl && <TileLayer url={tileUrl} />}
        {areas && areas.features.length > 0 && (
          <GeoJSON
            key={key}
            data={areas}
            style={(f) => {
              const chosen = f?.id === selectedId;
              return {
                color: chosen ? '#c8102e' : '#1f5fbf',
                weight: chosen ? 3 : 1.5,
                fillOpacity: chosen ? 0.18 : 0.06,
                className: 'linli-area',
              };
            }}
            onEachFeature={(f, layer) => {
              const name = (f.properties as { name: string }).name;
              layer.bindTooltip(name, { permanent: true, direction: 'center', className: 'linli-area-name' });
            }}
          />
        )}
        {point && (
          <CircleMarker
            center={[point.lat, point.lng]}
            radius={9}
            pathOptions={{ color: '#c8102e', fillOpacity: 0.6, className: 'linli-event-point' }}
          />
        )}
        <Framing areas={areas} point={point} />
        <Labels areasKey={key} selectedId={selectedId} />
        <Picker onPick={onPick} />
        <Zoom />
      </MapContainer>
    </div>
  );
}
