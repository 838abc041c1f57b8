// The jurisdiction as an antd Tree below one root, children loaded as nodes expand (code order as returned).
import { useEffect, useMemo, useState } from 'react';
import { Alert, Spin, Tag, Tree, type TreeDataNode } from 'antd';
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { fetchChildren, loadChildren, nodeKeys } from '../../api/nodes.js';
import type { NodeSummary } from '../../api/types.js';
import { LEVEL_COLORS, useLevelLabel } from '../../app/format.js';

interface Props {
  roots: NodeSummary[];
  selectedId: number | undefined;
  /** Ancestors of the selected node: expanded so the selection is visible. */
  revealIds: number[];
  onSelect: (id: number) => void;
}

export function NodeTree({ roots, selectedId, revealIds, onSelect }: Props) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const levelLabel = useLevelLabel();
  const [expanded, setExpanded] = useState<number[]>(() => roots.map((r) => r.id));

  useEffect(() => {
    if (revealIds.length === 0) return;
    setExpanded((prev) => {
      const missing = revealIds.filter((id) => !prev.includes(id));
      return missing.length ? [...prev, ...missing] : prev;
    });
  }, [revealIds]);

  const childQueries = useQueries({
    queries: expanded.map((id) => ({
      queryKey: nodeKeys.children(id),
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchChildren(id, signal),
      staleTime: 60_000,
    })),
  });
  const childrenOf = useMemo(() => {
    const m = new Map<number, NodeSummary[]>();
    expanded.forEach((id, i) => {
      const data = childQueries[i]?.data;
      if (data) m.set(id, data);
    });
    return m;
  }, [expanded, childQueries]);

  const treeData = useMemo(() => {
    const build = (n: NodeSummary, seen: Set<number>): TreeDataNode => {
      const kids = seen.has(n.id) ? undefined : childrenOf.get(n.id);
      const next = new Set(seen).add(n.id);
      return {
        key: n.id,
        title: (
          <span data-testid={`tree-node-${n.id}`} className={n.retired ? 'linli-retired' : undefined}>
            {n.name}{' '}
            <Tag color={LEVEL_COLORS[n.level]} style={{ marginInlineStart: 4 }}>
              {levelLabel(n.level)}
            </Tag>
            {n.retired && <Tag>{t('nodes.retired')}</Tag>}
          </span>
        ),
        isLeaf: n.childCount === 0,
        children: kids?.map((k) => build(k, next)),
      };
    };
    return roots.map((r) => build(r, new Set()));
  }, [roots, childrenOf, levelLabel, t]);

  const failed = childQueries.find((q) => q.isError)?.error;

  return (
    <>
      {failed && <Alert type="error" showIcon title={failed.message} style={{ marginBottom: 8 }} />}
      {roots.length === 0 ? (
        <Spin />
      ) : (
        <Tree
          blockNode
          treeData={treeData}
          expandedKeys={expanded}
          selectedKeys={selectedId === undefined ? [] : [selectedId]}
          onExpand={(keys) => setExpanded(keys.map(Number))}
          loadData={async (node) => {
            await loadChildren(qc, Number(node.key));
          }}
          onSelect={(keys) => {
            const k = keys[0];
            if (k !== undefined) onSelect(Number(k));
          }}
        />
      )}
    </>
  );
}
