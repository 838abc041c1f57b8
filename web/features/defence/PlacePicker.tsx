// Where in the district a traveller is going: any town, village or community, or grid, found by name,
// pinyin or initials (the public place search), whatever the registering staff's own jurisdiction: a
// checkpoint at 昌化 registers travellers bound for 锦城街道's grids. Each option shows the places above it.
import { useState } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePublicPlaces } from '../../api/nodes.js';
import { useDebounced } from '../../app/useDebounced.js';
import { LIMITS } from '../../../common/limits.js';
import { placeTrail } from '../public/PlaceSearch.js';

export function PlacePicker({
  id,
  value,
  onChange,
  placeholder,
  'data-testid': testId,
  'aria-label': ariaLabel,
}: {
  id?: string;
  value: { id: number; name: string } | null;
  onChange: (place: { id: number; name: string } | null) => void;
  placeholder?: string;
  'data-testid'?: string;
  'aria-label'?: string;
}) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const q = useDebounced(typed.trim(), 250);
  const hits = usePublicPlaces(q);
  const list = q ? (hits.data ?? []) : [];
  const options = list.map((p) => ({ value: p.id, label: placeTrail(p) }));
  if (value && !list.some((p) => p.id === value.id)) options.unshift({ value: value.id, label: value.name });
  return (
    <Select<number>
      id={id}
      data-testid={testId}
      aria-label={ariaLabel}
      size="large"
      style={{ width: '100%' }}
      value={value?.id}
      allowClear
      showSearch={{ filterOption: false, onSearch: (s) => setTyped(s.slice(0, LIMITS.search)) }}
      placeholder={placeholder}
      loading={hits.isFetching}
      notFoundContent={
        hits.isError ? hits.error.message : q ? t('common.noResults') : t('passages.placeTypeToSearch')
      }
      options={options}
      onChange={(placeId) => {
        const hit = list.find((p) => p.id === placeId);
        onChange(placeId === undefined ? null : hit ? { id: hit.id, name: placeTrail(hit) } : value);
        setTyped('');
      }}
    />
  );
}
