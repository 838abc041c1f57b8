// The grids' names on the cockpit's map, each shown only while its grid is drawn large enough on
// screen to hold it: at the district's zoom a thousand grids are specks and their names would be a
// smear; zoomed in, the grids in view are named. A name sits in the middle of the part of its grid's
// box that is in view, and never runs past that box.
import { useEffect } from 'react';
import L from 'leaflet';
import { useMap } from 'react-leaflet';

/** A grid with the outline the map draws: where its name may go. */
export interface NamedArea {
  id: number;
  name: string;
  geometry: GeoJSON.Geometry;
}

/** Room kept between a name and its grid's edges, in pixels. */
const MARGIN = 4;

export function GridNames({ areas }: { areas: NamedArea[] }) {
  const map = useMap();
  useEffect(() => {
    const items = areas.map((a) => {
      const feature: GeoJSON.Feature = { type: 'Feature', geometry: a.geometry, properties: {} };
      const bounds = L.geoJSON(feature).getBounds();
      const label = L.tooltip({
        permanent: true,
        direction: 'center',
        interactive: false,
        className: 'linli-grid-name',
        opacity: 1,
      })
        .setLatLng(bounds.getCenter())
        .setContent(a.name);
      return { bounds, label, size: null as { w: number; h: number } | null };
    });
    const update = () => {
      const size = map.getSize();
      for (const item of items) {
        // The part of the grid in view: a grid running off the map's edge is named in what shows of it.
        const nw = map.latLngToContainerPoint(item.bounds.getNorthWest());
        const se = map.latLngToContainerPoint(item.bounds.getSouthEast());
        const left = Math.max(nw.x, 0) + MARGIN;
        const top = Math.max(nw.y, 0) + MARGIN;
        const room = {
          w: Math.min(se.x, size.x) - MARGIN - left,
          h: Math.min(se.y, size.y) - MARGIN - top,
        };
        // Cheap test first: too small for any name (a name is at least a line high and two characters).
        let show = room.w >= 24 && room.h >= 14;
        if (show) item.label.setLatLng(map.containerPointToLatLng([left + room.w / 2, top + room.h / 2]));
        if (show && !item.size) {
          if (!map.hasLayer(item.label)) item.label.addTo(map);
          const el = item.label.getElement();
          if (el) item.size = { w: el.offsetWidth, h: el.offsetHeight };
        }
        if (show && item.size) show = item.size.w <= room.w && item.size.h <= room.h;
        if (show && !map.hasLayer(item.label)) item.label.addTo(map);
        if (!show && map.hasLayer(item.label)) item.label.remove();
      }
    };
    // A new size of the map may come with a new size of type (the wall screen scales it): measure again.
    const resized = () => {
      for (const item of items) item.size = null;
      update();
    };
    update();
    map.on('zoomend moveend', update);
    map.on('resize', resized);
    return () => {
      map.off('zoomend moveend', update);
      map.off('resize', resized);
      for (const item of items) item.label.remove();
    };
  }, [map, areas]);
  return null;
}
