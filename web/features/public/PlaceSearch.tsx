// The resident's search for a place: a town or street, a village or community, or a grid, by name,
// pinyin or initials. The hits are buttons of a finger's size, each with the places above it.
import { useState } from 'react';
import { Button, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePublicPlaces } from '../../api/nodes.js';
import type { PublicPlace } from '../../api/types.js';
import { useLevelLabel } from '../../app/format.js';
import { useDebounced } from '../../app/useDebounced.js';
import { LIMITS } from '../../../common/limits.js';

/** 锦城街道 › 章坂村 › 章坂村第二网格: the place and the places above it, the district left out. */
export function placeTrail(p: PublicPlace): string {
  return [...p.path.slice(1), p.name].join(' › ');
}

export function PlaceSearch({ onChoose }: { onChoose: (p: PublicPlace) => void }) {
  const { t } = useTranslation();
  const levelLabel = useLevelLabel();
  const [typed, setTyped] = useState('');
  const text = useDebounced(typed.trim(), 250);
  const places = usePublicPlaces(text);
  const waiting = typed.trim() !== text || places.isFetching;
  const hits = typed.trim() ? (places.data ?? []) : [];
  return (
    <div>
      <label htmlFor="public-place-search" style={{ display: 'block', marginBottom: 4 }}>
        {t('public.findPlace')}
      </label>
      <Input
        id="public-place-search"
        type="search"
        allowClear
        value={typed}
        maxLength={LIMITS.search}
        placeholder={t('public.findPlaceHint')}
        onChange={(e) => setTyped(e.target.value)}
        autoComplete="off"
      />
      {typed.trim() && (
        <div role="list" aria-label={t('public.placesFound')} aria-busy={waiting} style={{ marginTop: 8 }}>
          {hits.map((p) => (
            <div role="listitem" key={p.id} style={{ marginBottom: 6 }}>
              <Button
                block
                onClick={() => {
                  setTyped('');
                  onChoose(p);
                }}
                style={{ height: 'auto', minHeight: 44, textAlign: 'start', whiteSpace: 'normal' }}
              >
                <span
                  style={{
                    display: 'flex',
                    flexDirection: 'column',
                    alignItems: 'flex-start',
                    width: '100%',
                  }}
                >
                  <span>
                    {p.name} <Typography.Text type="secondary">{levelLabel(p.level)}</Typography.Text>
                  </span>
                  {p.path.length > 1 && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {p.path.slice(1).join(' › ')}
                    </Typography.Text>
                  )}
                </span>
              </Button>
            </div>
          ))}
          {!waiting && hits.length === 0 && (
            <Typography.Text type="secondary">
              {places.isError ? t('public.searchFailed') : t('common.noResults')}
            </Typography.Text>
          )}
        </div>
      )}
    </div>
  );
}
