// One list, two shapes: an antd Table on a desktop, and below 768 px a column of cards, each record's
// first column (or `cardTitle`) as the card's title and the other columns as labelled lines, so no list
// scrolls sideways on a phone. The card carries what the table row would (onRow: test ids, clicks), its
// actions column becomes the card's footer, an expandable row a "details" fold, and the pagination a
// phone-sized one. Columns meant for wide screens only (`responsive` without 'md', e.g. ['lg']) stay off
// the card, as they stay off a narrow table.
import { useState, type HTMLAttributes, type Key, type ReactNode } from 'react';
import { Empty, Pagination, Spin, Table, type TableColumnType, type TableProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useIsPhone } from '../useIsPhone.js';
import './responsive.css';

export type ResponsiveTableProps<T> = TableProps<T> & {
  /** The key of the column shown as each card's title; the first column when not given. */
  cardTitle?: string;
  'data-testid'?: string;
};

type Column<T> = TableColumnType<T>;

function valueAt(record: object, dataIndex: Column<object>['dataIndex']): unknown {
  if (dataIndex === undefined || dataIndex === null) return undefined;
  const path = Array.isArray(dataIndex) ? dataIndex : [dataIndex];
  let v: unknown = record;
  for (const k of path as (string | number)[]) v = (v as Record<string | number, unknown> | null)?.[k];
  return v;
}

function cell<T extends object>(col: Column<T>, record: T, index: number): ReactNode {
  const value = valueAt(record, col.dataIndex as Column<object>['dataIndex']);
  if (col.render) {
    const out = col.render(value, record, index) as ReactNode | { children?: ReactNode };
    // A render may answer { children, props } (cell spans): the card wants the children.
    if (out && typeof out === 'object' && !('$$typeof' in out) && 'children' in out)
      return out.children ?? null;
    return out as ReactNode;
  }
  return value === undefined || value === null ? null : (value as ReactNode);
}

function columnKey<T>(col: Column<T>, i: number): string {
  if (col.key !== undefined) return String(col.key);
  if (col.dataIndex !== undefined) return String(col.dataIndex);
  return String(i);
}

/** A wide-screen-only column: `responsive` given and without 'md' or a smaller breakpoint. */
function wideOnly<T>(col: Column<T>): boolean {
  return !!col.responsive && !col.responsive.some((b) => b === 'xs' || b === 'sm' || b === 'md');
}

function recordKey<T extends object>(rowKey: TableProps<T>['rowKey'], record: T, index: number): Key {
  if (typeof rowKey === 'function') return rowKey(record, index);
  const k = valueAt(record, (rowKey ?? 'key') as string);
  return (k as Key | undefined) ?? index;
}

function CardList<T extends object>(props: ResponsiveTableProps<T>) {
  const { t } = useTranslation();
  const {
    columns = [],
    dataSource = [],
    rowKey,
    onRow,
    loading,
    pagination,
    expandable,
    locale,
    cardTitle,
    className,
    'data-testid': testId,
  } = props;
  const cols = (columns as Column<T>[]).filter((c) => !wideOnly(c) && !c.hidden);
  const titleIndex = Math.max(
    0,
    cols.findIndex((c, i) => cardTitle !== undefined && columnKey(c, i) === cardTitle),
  );
  const titleCol = cols[titleIndex];
  const actionsCol = cols.find((c, i) => columnKey(c, i) === 'actions');
  const fieldCols = cols.filter((c, i) => i !== titleIndex && c !== actionsCol);

  // A table given no total pages through its rows itself; so do the cards.
  const paged =
    pagination !== false && pagination !== undefined ? pagination : pagination === false ? null : {};
  const [ownPage, setOwnPage] = useState(1);
  const clientSide = paged !== null && paged.total === undefined;
  const pageSize = paged?.pageSize ?? paged?.defaultPageSize ?? 10;
  const current = paged?.current ?? ownPage;
  const rows = clientSide ? dataSource.slice((current - 1) * pageSize, current * pageSize) : dataSource;
  const total = clientSide ? dataSource.length : (paged?.total ?? dataSource.length);
  const spinning = typeof loading === 'object' ? !!loading.spinning : !!loading;

  return (
    <div className={['linli-cards', className].filter(Boolean).join(' ')} data-testid={testId}>
      <Spin spinning={spinning}>
        {rows.length === 0 ? (
          <div className="linli-cards-empty">
            {locale?.emptyText !== undefined ? (
              typeof locale.emptyText === 'function' ? (
                locale.emptyText()
              ) : (
                locale.emptyText
              )
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.noData')} />
            )}
          </div>
        ) : (
          <ul className="linli-card-list">
            {rows.map((r, i) => {
              const index = clientSide ? (current - 1) * pageSize + i : i;
              const rowProps = (onRow?.(r, index) ?? {}) as HTMLAttributes<HTMLElement>;
              const detail =
                expandable?.expandedRowRender && (expandable.rowExpandable?.(r) ?? true)
                  ? expandable.expandedRowRender(r, index, 0, true)
                  : null;
              return (
                <li
                  {...rowProps}
                  key={recordKey(rowKey, r, index)}
                  className={['linli-card', rowProps.className].filter(Boolean).join(' ')}
                >
                  {titleCol && <div className="linli-card-title">{cell(titleCol, r, index)}</div>}
                  {fieldCols.length > 0 && (
                    <dl className="linli-card-fields">
                      {fieldCols.map((c, ci) => {
                        const v = cell(c, r, index);
                        if (v === null || v === undefined || v === false || v === '') return null;
                        const title = typeof c.title === 'function' ? c.title({}) : c.title;
                        return (
                          <div key={columnKey(c, ci)} className="linli-card-field">
                            <dt>{title}</dt>
                            <dd className={typeof c.className === 'string' ? c.className : undefined}>{v}</dd>
                          </div>
                        );
                      })}
                    </dl>
                  )}
                  {detail !== null && (
                    <details className="linli-card-details">
                      <summary>{t('common.details')}</summary>
                      {detail}
                    </details>
                  )}
                  {actionsCol && <div className="linli-card-actions">{cell(actionsCol, r, index)}</div>}
                </li>
              );
            })}
          </ul>
        )}
      </Spin>
      {paged !== null && total > pageSize && (
        <Pagination
          className="linli-cards-pagination"
          simple
          current={current}
          pageSize={pageSize}
          total={total}
          showTotal={paged.showTotal}
          onChange={(p, ps) => {
            if (clientSide) setOwnPage(p);
            paged.onChange?.(p, ps);
            window.scrollTo({ top: 0 });
          }}
        />
      )}
    </div>
  );
}

/** An antd Table on wide screens, cards below 768 px (see the file's head). */
export function ResponsiveTable<T extends object>(props: ResponsiveTableProps<T>) {
  const isPhone = useIsPhone();
  if (isPhone) return <CardList<T> {...props} />;
  const { cardTitle: _cardTitle, ...tableProps } = props;
  return <Table<T> {...tableProps} />;
}
