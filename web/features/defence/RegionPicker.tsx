// A region of China found by name, pinyin or six-digit code (GET /api/regions?q=): where a traveller
// comes from, where one goes outside the district, a command's key regions. Each option shows the
// names above it and whether it is in the district, the province or outside.
import { useState, type CSSProperties } from 'react';
import { Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useRegions, type RegionView } from '../../api/passages.js';
import { useDebounced } from '../../app/useDebounced.js';
import { LIMITS } from '../../../common/limits.js';

const SCOPE_COLORS: Record<RegionView['scope'], string> = {
  district: 'green',
  province: 'blue',
  outside: 'orange',
};

/** "武汉市 · 湖北省" — the region and its parents, nearest first. */
export const regionLabel = (r: RegionView) => [r.name, ...[...r.parents].reverse()].join(' · ');

export function RegionScopeTag({ scope }: { scope: RegionView['scope'] }) {
  const { t } = useTranslation();
  return <Tag color={SCOPE_COLORS[scope]}>{t(`passages.scope.${scope}`)}</Tag>;
}

function useRegionOptions(typed: string) {
  const q = useDebounced(typed.trim(), 250);
  const hits = useRegions(q);
  return { hits, list: hits.data ?? [] };
}

export function RegionPicker({
  id,
  value,
  onChange,
  placeholder,
  style,
  'data-testid': testId,
  'aria-label': ariaLabel,
}: {
  id?: string;
  value: RegionView | null;
  onChange: (r: RegionView | null) => void;
  placeholder?: string;
  style?: CSSProperties;
  'data-testid'?: string;
  'aria-label'?: string;
}) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const { hits, list } = useRegionOptions(typed);
  const options = list.map((r) => ({
    value: r.code,
    label: (
      <span className="linli-region-option">
        <span>{regionLabel(r)}</span> <RegionScopeTag scope={r.scope} />
      </span>
    ),
  }));
  if (value && !list.some((r) => r.code === value.code))
    options.unshift({ value: value.code, label: <span>{regionLabel(value)}</span> });
  return (
    <Select<string>
      id={id}
      data-testid={testId}
      aria-label={ariaLabel}
      size="large"
      style={{ width: '100%', ...style }}
      value={value?.code}
      allowClear
      showSearch={{ filterOption: false, onSearch: (s) => setTyped(s.slice(0, LIMITS.search)) }}
      placeholder={placeholder ?? t('passages.regionPlaceholder')}
      loading={hits.isFetching}
      notFoundContent={
        hits.isError
          ? hits.error.message
          : typed.trim()
            ? t('common.noResults')
            : t('passages.regionTypeToSearch')
      }
      options={options}
      onChange={(code) => {
        onChange(code ? (list.find((r) => r.code === code) ?? value) : null);
        setTyped('');
      }}
    />
  );
}

/** Several regions (a command's key regions): the codes, with the names of those found here. */
export function RegionMultiPicker({
  id,
  value,
  onChange,
  known,
  onKnown,
}: {
  id?: string;
  value?: string[];
  onChange?: (codes: string[]) => void;
  /** Names of regions already seen, by code (the list answers codes only). */
  known: ReadonlyMap<string, RegionView>;
  onKnown: (r: RegionView) => void;
}) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const { hits, list } = useRegionOptions(typed);
  const chosen = value ?? [];
  const options = [
    ...chosen
      .filter((c) => !list.some((r) => r.code === c))
      .map((c) => ({ value: c, label: known.get(c) ? regionLabel(known.get(c)!) : c })),
    ...list.map((r) => ({ value: r.code, label: regionLabel(r) })),
  ];
  return (
    <Select<string[]>
      id={id}
      data-testid="risk-rules-regions"
      mode="multiple"
      size="large"
      style={{ width: '100%' }}
      value={chosen}
      showSearch={{ filterOption: false, onSearch: (s) => setTyped(s.slice(0, LIMITS.search)) }}
      placeholder={t('passages.regionPlaceholder')}
      loading={hits.isFetching}
      notFoundContent={hits.isError ? hits.error.message : t('passages.regionTypeToSearch')}
      options={options}
      maxCount={500}
      onChange={(codes) => {
        for (const r of list) if (codes.includes(r.code)) onKnown(r);
        onChange?.(codes);
        setTyped('');
      }}
    />
  );
}
