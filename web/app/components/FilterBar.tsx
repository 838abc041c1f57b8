// A list page's filters. On a desktop: the search and each filter in one wrapping row, every field with
// a visible label. On a phone: the search and one "筛选 Filters" button (with the number of filters in
// use) that opens a drawer holding the same labelled fields, so the list starts within the first screen.
import { useState, type ReactNode } from 'react';
import { Badge, Button, Drawer } from 'antd';
import { useTranslation } from 'react-i18next';
import { useIsPhone } from '../useIsPhone.js';
import './responsive.css';

export interface FilterField {
  /** The control's id: its label points at it. */
  id: string;
  label: ReactNode;
  /** A controlled input (its value kept by the page, so moving it into the drawer loses nothing). */
  control: ReactNode;
  /** Several controls (a row of chips): the label names the group instead of pointing at one input. */
  group?: boolean;
}

export interface FilterBarProps {
  /** Stays in view on a phone too (a search box). */
  search?: ReactNode;
  fields: FilterField[];
  /** How many filters are in use: shown on the phone's button. */
  active: number;
  /** Clears every filter (the drawer's "clear" button). */
  onClear?: () => void;
  /** Shown after the filters: the scope tag and the like. */
  extra?: ReactNode;
  /**
   * For filters applied by a button (a form): the drawer's main button applies them. Without it the
   * filters apply as they change and the button only closes the drawer.
   */
  onApply?: () => void;
  /** The desktop's apply/reset buttons, shown after the fields; on a phone the drawer's footer has them. */
  actions?: ReactNode;
  'data-testid'?: string;
}

function Field({ f }: { f: FilterField }) {
  if (f.group)
    return (
      <div className="linli-filter">
        <span className="linli-filter-label" id={`${f.id}-label`}>
          {f.label}
        </span>
        <div className="linli-filter-control" id={f.id} role="group" aria-labelledby={`${f.id}-label`}>
          {f.control}
        </div>
      </div>
    );
  return (
    <div className="linli-filter">
      <label className="linli-filter-label" htmlFor={f.id}>
        {f.label}
      </label>
      <div className="linli-filter-control">{f.control}</div>
    </div>
  );
}

export function FilterBar({
  search,
  fields,
  active,
  onClear,
  extra,
  onApply,
  actions,
  'data-testid': testId,
}: FilterBarProps) {
  const { t } = useTranslation();
  const isPhone = useIsPhone();
  const [open, setOpen] = useState(false);

  if (!isPhone)
    return (
      <div className="linli-filters" data-testid={testId}>
        {search && <div className="linli-filter linli-filter-search">{search}</div>}
        {fields.map((f) => (
          <Field key={f.id} f={f} />
        ))}
        {actions && <div className="linli-filters-actions">{actions}</div>}
        {extra && <div className="linli-filters-extra">{extra}</div>}
      </div>
    );

  return (
    <div className="linli-filters linli-filters-phone" data-testid={testId}>
      <div className="linli-filters-row">
        {search && <div className="linli-filter-search">{search}</div>}
        {fields.length > 0 && (
          <Badge count={active} size="small" offset={[-4, 4]}>
            <Button
              data-testid="filters-open"
              aria-haspopup="dialog"
              aria-expanded={open}
              onClick={() => setOpen(true)}
            >
              {active > 0 ? t('common.filtersActive', { n: active }) : t('common.filters')}
            </Button>
          </Badge>
        )}
      </div>
      {extra && <div className="linli-filters-extra">{extra}</div>}
      <Drawer
        placement="bottom"
        open={open}
        onClose={() => setOpen(false)}
        title={t('common.filters')}
        size="auto"
        rootClassName="linli-filters-drawer"
        styles={{ body: { paddingBottom: 8 } }}
        footer={
          <div className="linli-filters-footer">
            {onClear && (
              <Button data-testid="filters-clear" disabled={active === 0 && !onApply} onClick={onClear}>
                {t('common.clearFilters')}
              </Button>
            )}
            <Button
              type="primary"
              data-testid="filters-done"
              onClick={() => {
                onApply?.();
                setOpen(false);
              }}
            >
              {t('common.showResults')}
            </Button>
          </div>
        }
      >
        <div className="linli-filters-stack" data-testid="filters-drawer">
          {fields.map((f) => (
            <Field key={f.id} f={f} />
          ))}
        </div>
      </Drawer>
    </div>
  );
}
