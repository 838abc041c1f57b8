import { z } from 'zod';
import { LEVELS } from '../tree.js';
import { LIMITS } from '../limits.js';
import { importSkipped } from './imports.js';
import { abilities, listOf, recordId, recordIdParam } from './shared.js';

export const levelEnum = z.enum(LEVELS);

const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const ring = z.array(position).min(4).max(5000);
/** A GeoJSON Polygon or MultiPolygon geometry (lng, lat). */
export const polygonGeometry = z.union([
  z.strictObject({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1).max(50) }),
  z.strictObject({
    type: z.literal('MultiPolygon'),
    coordinates: z.array(z.array(ring).min(1).max(50)).min(1).max(50),
  }),
]);
export type PolygonGeometry = z.infer<typeof polygonGeometry>;

export const nodeSummary = z.object({
  id: z.number().int(),
  parentId: z.number().int().nullable(),
  level: levelEnum,
  code: z.string(),
  fullCode: z.string(),
  name: z.string(),
  path: z.string(),
  depth: z.number().int(),
  responsibleName: z.string().nullable(),
  centroid: z.object({ lat: z.number(), lng: z.number() }).nullable(),
  hasPolygon: z.boolean(),
  retired: z.boolean(),
  childCount: z.number().int(),
});
export type NodeSummary = z.infer<typeof nodeSummary>;

export const nodeDetail = nodeSummary.extend({
  polygon: polygonGeometry.nullable(),
  ancestors: z.array(z.object({ id: z.number().int(), name: z.string(), level: levelEnum })),
  abilities: abilities('update', 'createChild', 'move', 'retire', 'import'),
});
export type NodeDetail = z.infer<typeof nodeDetail>;

/** The most places one search answers. */
export const NODE_SEARCH_MAX = 50;

/**
 * `GET /api/nodes`: the caller's scope roots, a node's children (`parent`), or, with `q`, the places
 * in the caller's scope found by name, full pinyin (`zhangbancun`), initials (`zbc`) or code prefix.
 */
export const listNodesQuery = z
  .strictObject({
    parent: recordIdParam.optional(),
    includeRetired: z.enum(['true', 'false']).optional(),
    q: z.string().trim().min(1).max(LIMITS.search).optional(),
    pageSize: z.coerce.number().int().min(1).max(NODE_SEARCH_MAX).optional(),
  })
  .superRefine((v, ctx) => {
    // A search looks through the whole scope; a page size belongs to a search.
    for (const k of ['parent', 'includeRetired'] as const)
      if (v.q !== undefined && v[k] !== undefined)
        ctx.addIssue({ code: 'custom', path: [k], message: 'issue.not_with_search' });
    if (v.q === undefined && v.pageSize !== undefined)
      ctx.addIssue({ code: 'custom', path: ['pageSize'], message: 'issue.search_only' });
  });

/** A place found by a search: what a picker shows, with the names of the places above it. */
export const nodeHit = z.object({
  id: z.number().int(),
  parentId: z.number().int().nullable(),
  name: z.string(),
  level: levelEnum,
  fullCode: z.string(),
  /** The names of the places above, from the top of the tree down (the place itself not included). */
  path: z.array(z.string()),
});
export type NodeHit = z.infer<typeof nodeHit>;

/** Children or roots (`NodeSummary`), or search hits (`NodeHit`) when `q` is given. */
export const listNodesResponse = z.union([listOf(nodeSummary), listOf(nodeHit)]);

/** A place a resident may send a report to, found by name (towns, villages and communities, grids). */
export const publicPlace = nodeHit.pick({ id: true, name: true, level: true, path: true });
export type PublicPlace = z.infer<typeof publicPlace>;
export const publicPlacesQuery = z.strictObject({
  q: z.string().trim().min(1).max(LIMITS.search),
  pageSize: z.coerce.number().int().min(1).max(20).default(10),
});
/** Where a point lies: the grid a report placed there goes to, or null outside every grid. */
export const publicPlaceAt = z.object({ place: publicPlace.nullable() });
/** A coordinate in a query string: a plain decimal (no exponent, no hex, never empty). */
const coordinate = (max: number) =>
  z
    .string()
    .regex(/^-?\d{1,3}(\.\d{1,10})?$/, 'issue.coordinate')
    .transform(Number)
    .pipe(z.number().min(-max).max(max));
export const publicPlaceAtQuery = z.strictObject({ lat: coordinate(90), lng: coordinate(180) });
/** The areas drawn on the resident's map: the towns, or the villages of a town, or the grids of a village (the grid's own for a grid). */
export const publicAreasQuery = z.strictObject({ within: recordIdParam.optional() });
export const publicAreas = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      id: z.number().int(),
      properties: z.object({ id: z.number().int(), name: z.string(), level: levelEnum }),
      geometry: polygonGeometry,
    }),
  ),
});
export type PublicAreas = z.infer<typeof publicAreas>;

const name = z.string().trim().min(1).max(LIMITS.name);
export const createNodeBody = z.strictObject({
  parentId: recordId,
  code: z.string().regex(/^\d{3}$/, 'code must be 3 digits'),
  name,
  responsibleName: z.string().trim().max(LIMITS.name).nullable().optional(),
  polygon: polygonGeometry.nullable().optional(),
});
export const updateNodeBody = z
  .strictObject({
    name: name.optional(),
    responsibleName: z.string().trim().max(LIMITS.name).nullable().optional(),
    polygon: polygonGeometry.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'issue.nothing_to_change' });
export const moveNodeBody = z.strictObject({
  newParentId: recordId,
  code: z
    .string()
    .regex(/^\d{3}$/, 'code must be 3 digits')
    .optional(),
});

export const geoFeatureCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      id: z.number().int(),
      properties: z.object({
        id: z.number().int(),
        name: z.string(),
        level: levelEnum,
        fullCode: z.string(),
      }),
      geometry: polygonGeometry,
    }),
  ),
});
export const polygonsQuery = z.strictObject({ level: levelEnum.optional() });

export const importRowError = z.object({ row: z.number().int(), column: z.string(), message: z.string() });
export const nodeImportReport = z.object({
  total: z.number().int(),
  imported: z.number().int(),
  rejected: z.number().int(),
  errors: z.array(importRowError),
  skipped: importSkipped,
});
export type NodeImportReport = z.infer<typeof nodeImportReport>;
/** Column headers of the node import file, as officials write them. */
export const NODE_IMPORT_COLUMNS = ['上级编码', '编码', '名称', '层级', '负责人'] as const;
/** Other headers sheets give the same columns (compared without spaces, `*` or remarks in brackets). */
export const NODE_IMPORT_ALIASES: Readonly<Record<string, (typeof NODE_IMPORT_COLUMNS)[number]>> = {
  上级代码: '上级编码',
  父级编码: '上级编码',
  代码: '编码',
  本级编码: '编码',
  名字: '名称',
  节点名称: '名称',
  级别: '层级',
};
