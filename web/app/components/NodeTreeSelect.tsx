// A jurisdiction picker: starts from the caller's scope roots and loads children on expand.
import { useCallback, useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import { TreeSelect, Tag } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { loadChildren, useRootNodes } from '../../api/nodes.js';
import type { NodeSummary } from '../../api/types.js';
import { LEVEL_COLORS, useLevelLabel } from '../format.js';

export interface NodeTreeSelectProps {
  id?: string;
  value?: number | null;
  /** Shown when the value is not among the loaded nodes (e.g. restored from storage). */
  valueLabel?: string;
  onChange?: (id: number | undefined, node: NodeSummary | undefined) => void;
  placeholder?: string;
  allowClear?: boolean;
  disabled?: boolean;
  style?: CSSProperties;
  className?: string;
  'aria-label'?: string;
  'data-testid'?: string;
}

interface LabeledValue {
  value: number;
  label?: ReactNode;
}

interface Item {
  id: number;
  pId: number;
  value: number;
  label: string;
  title: ReactNode;
  isLeaf: boolean;
}

export function NodeTreeSelect({
  value,
  valueLabel,
  onChange,
  placeholder,
  allowClear,
  ...rest
}: NodeTreeSelectProps) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const levelLabel = useLevelLabel();
  const roots = useRootNodes();
  const [children, setChildren] = useState<Record<number, NodeSummary[]>>({});

  const byId = useMemo(() => {
    const m = new Map<number, NodeSummary>();
    for (const n of roots.data ?? []) m.set(n.id, n);
    for (const list of Object.values(children)) for (const n of list) m.set(n.id, n);
    return m;
  }, [roots.data, children]);

  const treeData = useMemo(() => {
    const out: Item[] = [];
    const rootIds = new Set((roots.data ?? []).map((n) => n.id));
    for (const n of byId.values()) {
      out.push({
        id: n.id,
        pId: rootIds.has(n.id) ? 0 : (n.parentId ?? 0),
        value: n.id,
        label: n.name,
        title: (
          <span>
            {n.name}{' '}
            <Tag color={LEVEL_COLORS[n.level]} style={{ marginInlineStart: 4 }}>
              {levelLabel(n.level)}
            </Tag>
          </span>
        ),
        isLeaf: n.childCount === 0,
      });
    }
    return out;
  }, [byId, roots.data, levelLabel]);

  const loadData = useCallback(
    async (node: { value?: unknown }) => {
      const id = Number(node.value);
      if (!Number.isFinite(id) || id in children) return;
      const list = await loadChildren(qc, id);
      setChildren((prev) => ({ ...prev, [id]: list }));
    },
    [qc, children],
  );

  const labeled: LabeledValue | undefined =
    value === undefined || value === null
      ? undefined
      : { value, label: byId.get(value)?.name ?? valueLabel ?? `#${value}` };

  return (
    <TreeSelect<LabeledValue>
      {...rest}
      labelInValue
      value={labeled}
      onChange={(v) => {
        const id = v?.value;
        onChange?.(id, id === undefined ? undefined : byId.get(id));
      }}
      treeDataSimpleMode={{ id: 'id', pId: 'pId', rootPId: 0 }}
      treeData={treeData}
      loadData={loadData}
      treeNodeLabelProp="label"
      showSearch={{ treeNodeFilterProp: 'label' }}
      allowClear={allowClear}
      loading={roots.isPending}
      placeholder={placeholder ?? t('nodes.pick')}
      popupMatchSelectWidth={false}
      notFoundContent={roots.isError ? roots.error.message : undefined}
    />
  );
}
