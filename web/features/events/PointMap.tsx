// A point on a Leaflet map: shows where an event is, or lets a resident pick the place by a click.
// A circle marker needs no icon images; no tile layer unless GET /api/config gives a tile URL.
import 'leaflet/dist/leaflet.css';
import { CircleMarker, MapContainer, TileLayer, useMapEvents } from 'react-leaflet';
import { useAppConfig } from '../../api/nodes.js';

const LINLI_CENTER: [number, number] = [30.23, 119.72];

function Picker({ onPick }: { onPick: (lat: number, lng: number) => void }) {
  useMapEvents({
    click: (e) => onPick(Math.round(e.latlng.lat * 1e6) / 1e6, Math.round(e.latlng.lng * 1e6) / 1e6),
  });
  return null;
}

export function PointMap({
  lat,
  lng,
  onPick,
  testId = 'point-map',
}: {
  lat?: number | null | undefined;
  lng?: number | null | undefined;
  onPick?: (lat: number, lng: number) => void;
  testId?: string;
}) {
  const config = useAppConfig();
  const has = typeof lat === 'number' && typeof lng === 'number';
  return (
    <div data-testid={testId}>
      <MapContainer
        className="linli-map"
        center={has ? [lat, lng] : LINLI_CENTER}
        zoom={has ? 15 : 11}
        scrollWheelZoom
        style={{ height: 280 }}
      >
        {config.data?.mapTileUrl && <TileLayer url={config.data.mapTileUrl} />}
        {has && (
          <CircleMarker
            center={[lat, lng]}
            radius={9}
            pathOptions={{ color: '#c8102e', fillOpacity: 0.6, className: 'linli-event-point' }}
          />
        )}
        {onPick && <Picker onPick={onPick} />}
      </MapContainer>
    </div>
  );
}
