// /tree/:id? — the jurisdiction tree on the left; the node's detail, actions and map on the right.
import { useMemo } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Breadcrumb, Card, Descriptions, Empty, Spin, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNodeDetail, useRootNodes } from '../../api/nodes.js';
import type { NodeDetail, NodeSummary } from '../../api/types.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { useAuth } from '../../app/auth.js';
import { LEVEL_COLORS, useLevelLabel } from '../../app/format.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { NodeTree } from './NodeTree.js';
import { NodeMap } from './NodeMap.js';
import { NodeActions } from './NodeActions.js';

function NodeDetailCard({ node, onNavigate }: { node: NodeDetail; onNavigate: (id: number) => void }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const levelLabel = useLevelLabel();
  // Ancestors above the caller's assignments are shown but not linked: they are outside the scope.
  const scopeIds = new Set(me.assignments.map((a) => a.node.id));
  const firstInScope = node.ancestors.findIndex((a) => scopeIds.has(a.id));
  const crumbs = [
    ...node.ancestors.map((a, i) => ({
      key: a.id,
      title:
        firstInScope < 0 || i < firstInScope ? (
          <span data-testid={`crumb-${a.id}`}>{a.name}</span>
        ) : (
          <a
            href={`/tree/${a.id}`}
            data-testid={`crumb-${a.id}`}
            onClick={(e) => {
              e.preventDefault();
              onNavigate(a.id);
            }}
          >
            {a.name}
          </a>
        ),
    })),
    { key: node.id, title: <span>{node.name}</span> },
  ];
  return (
    <Card
      size="small"
      data-testid="node-detail"
      title={
        <span>
          <span data-testid="node-name">{node.name}</span>{' '}
          <Tag color={LEVEL_COLORS[node.level]}>{levelLabel(node.level)}</Tag>
          {node.retired && <Tag>{t('nodes.retired')}</Tag>}
        </span>
      }
    >
      <NodeActions node={node} onNavigate={onNavigate} />
      <Breadcrumb items={crumbs} style={{ marginBottom: 12 }} data-testid="node-breadcrumb" />
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, md: 2, lg: 3 }}
        items={[
          { key: 'name', label: t('nodes.name'), children: node.name },
          { key: 'level', label: t('nodes.level'), children: levelLabel(node.level) },
          {
            key: 'fullCode',
            label: t('nodes.fullCode'),
            children: (
              <Typography.Text copyable code data-testid="node-fullcode">
                {node.fullCode}
              </Typography.Text>
            ),
          },
          {
            key: 'responsible',
            label: t('nodes.responsible'),
            children: node.responsibleName ?? (
              <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
            ),
          },
          { key: 'children', label: t('nodes.childCount'), children: node.childCount },
        ]}
      />
    </Card>
  );
}

export default function TreePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const params = useParams();
  const { node: chosen } = useJurisdiction();
  const routeId = params.id && /^\d+$/.test(params.id) ? Number(params.id) : undefined;
  const id = routeId ?? chosen?.id;

  const scopeRoots = useRootNodes();
  const chosenDetail = useNodeDetail(chosen?.id);
  const detail = useNodeDetail(id);

  // The tree starts at the chosen jurisdiction node, or at the caller's scope roots.
  const treeRoots: NodeSummary[] = useMemo(() => {
    if (chosen) return chosenDetail.data ? [chosenDetail.data] : [];
    return scopeRoots.data ?? [];
  }, [chosen, chosenDetail.data, scopeRoots.data]);
  // Expand down to the selected node, and the node itself so its children show; only from the tree's
  // roots down (an ancestor above the caller's scope cannot be listed).
  const revealIds = useMemo(() => {
    if (!detail.data) return [];
    const chain = [...detail.data.ancestors.map((a) => a.id), detail.data.id];
    const from = chain.findIndex((nid) => treeRoots.some((r) => r.id === nid));
    return from < 0 ? [] : chain.slice(from);
  }, [detail.data, treeRoots]);

  const go = (target: number) => void navigate(`/tree/${target}`);

  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('nodes.title')}</h1>
      </div>
      <div className="linli-tree-layout">
        <Card size="small" title={t('nodes.tree')} data-testid="node-tree">
          <div className="linli-tree-scroll">
            {chosenDetail.isError ? (
              <ErrorAlert error={chosenDetail.error} />
            ) : (
              <NodeTree
                key={treeRoots.map((r) => r.id).join(',')}
                roots={treeRoots}
                selectedId={id}
                revealIds={revealIds}
                onSelect={go}
              />
            )}
          </div>
        </Card>
        <div style={{ display: 'flex', flexDirection: 'column', gap: 16, minWidth: 0 }}>
          {id === undefined ? (
            <Card>
              <Empty description={t('nodes.pickOne')} />
            </Card>
          ) : detail.isPending ? (
            <Card>
              <Spin />
            </Card>
          ) : detail.isError ? (
            <ErrorAlert error={detail.error} />
          ) : (
            <>
              <NodeDetailCard node={detail.data} onNavigate={go} />
              <NodeMap key={detail.data.id} node={detail.data} onNavigate={go} />
            </>
          )}
        </div>
      </div>
    </div>
  );
}
