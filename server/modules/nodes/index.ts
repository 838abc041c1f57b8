// The nodes module's public face: other modules import only from here.
export { createNodesService, publicPlacesByIds, toSummary, type NodesService } from './nodes.service.js';
export { findNode, findNodesByIds, countSubtreeByLevel } from './nodes.repository.js';
export { nodesRoutes } from './nodes.routes.js';
export { listNode } from './list-node.js';
