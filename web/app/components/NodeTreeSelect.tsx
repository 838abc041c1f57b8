// A jurisdiction picker: starts from the caller's scope roots and loads children on expand; typing
// asks the server (by name, full pinyin or initials, within the caller's scope) and lists the hits,
// each with the names of the places above it. Choosing a hit selects it like a node of the tree.
import { useCallback, useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import { TreeSelect, Tag } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { loadChildren, loadNode, useNodeSearch, useRootNodes } from '../../api/nodes.js';
import type { NodeSummary } from '../../api/types.js';
import { LEVEL_COLORS, useLevelLabel } from '../format.js';
import { useDebounced } from '../useDebounced.js';

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

const HIT_STYLE: CSSProperties = { display: 'inline-flex', flexDirection: 'column', whiteSpace: 'normal' };
const HIT_PATH_STYLE: CSSProperties = { fontSize: 12, lineHeight: 1.4, color: 'rgba(0, 0, 0, 0.55)' };

/** Typing pauses this long before the server is asked. */
const SEARCH_DELAY_MS = 250;

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
  const [typed, setTyped] = useState('');
  const searchText = useDebounced(typed.trim(), SEARCH_DELAY_MS);
  const searching = typed.trim().length > 0;
  const hits = useNodeSearch(searching ? searchText : '');
  // Names of nodes chosen among hits, for the label when they are not in the loaded tree.
  const [pickedNames, setPickedNames] = useState<Record<number, string>>({});

  const byId = useMemo(() => {
    const m = new Map<number, NodeSummary>();
    for (const n of roots.data ?? []) m.set(n.id, n);
    for (const list of Object.values(children)) for (const n of list) m.set(n.id, n);
    return m;
  }, [roots.data, children]);

  const levelTag = useCallback(
    (level: NodeSummary['level']) => (
      <Tag color={LEVEL_COLORS[level]} style={{ marginInlineStart: 4 }}>
        {levelLabel(level)}
      </Tag>
    ),
    [levelLabel],
  );

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
            {n.name} {levelTag(n.level)}
          </span>
        ),
        isLeaf: n.childCount === 0,
      });
    }
    return out;
  }, [byId, roots.data, levelTag]);

  const hitData = useMemo(
    () =>
      (hits.data ?? []).map((h): Item => ({
        id: h.id,
        pId: 0,
        value: h.id,
        label: h.name,
        title: (
          <span data-testid={`node-hit-${h.id}`} style={HIT_STYLE}>
            <span>
              {h.name} {levelTag(h.level)}
            </span>
            {h.path.length > 0 && <span style={HIT_PATH_STYLE}>{h.path.join(' › ')}</span>}
          </span>
        ),
        isLeaf: true,
      })),
    [hits.data, levelTag],
  );

  const loadData = useCallback(
    async (node: { value?: unknown }) => {
      const id = Number(node.value);
      if (!Number.isFinite(id) || id in children) return;
      const list = await loadChildren(qc, id);
      setChildren((prev) => ({ ...prev, [id]: list }));
    },
    [qc, children],
  );

  const choose = async (id: number | undefined) => {
    setTyped('');
    if (id === undefined) return onChange?.(undefined, undefined);
    const known = byId.get(id);
    if (known) return onChange?.(id, known);
    // A hit outside the loaded tree: its summary comes with its detail.
    const hit = hits.data?.find((h) => h.id === id);
    if (hit) setPickedNames((prev) => ({ ...prev, [id]: hit.name }));
    try {
      onChange?.(id, await loadNode(qc, id));
    } catch {
      onChange?.(id, undefined);
    }
  };

  const labeled: LabeledValue | undefined =
    value === undefined || value === null
      ? undefined
      : { value, label: byId.get(value)?.name ?? pickedNames[value] ?? valueLabel ?? `#${value}` };

  const waiting = searching && (searchText !== typed.trim() || hits.isFetching);
  let notFound: ReactNode;
  if (searching) notFound = waiting ? t('common.searching') : t('common.noResults');
  else if (roots.isError) notFound = roots.error.message;

  return (
    <TreeSelect<LabeledValue>
      {...rest}
      labelInValue
      value={labeled}
      onChange={(v) => void choose(v?.value)}
      treeDataSimpleMode={{ id: 'id', pId: 'pId', rootPId: 0 }}
      treeData={searching ? (waiting || hits.isPlaceholderData ? [] : hitData) : treeData}
      loadData={searching ? undefined : loadData}
      treeNodeLabelProp="label"
      showSearch={{
        searchValue: typed,
        onSearch: setTyped,
        // The server has already matched by name, pinyin and initials: nothing is filtered here.
        filterTreeNode: false,
        autoClearSearchValue: true,
      }}
      onOpenChange={(open) => {
        if (!open) setTyped('');
      }}
      allowClear={allowClear}
      loading={roots.isPending || waiting}
      placeholder={placeholder ?? t('nodes.pick')}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { maxWidth: 'calc(100vw - 16px)' } } }}
      notFoundContent={notFound}
    />
  );
}
