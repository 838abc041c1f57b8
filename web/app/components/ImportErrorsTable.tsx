// What an import found in a file, shared by every import screen: the row-level problems (row,
// column, what is wrong) and the rows it did not read as data (a title, blank rows, a 合计 row).
import { Collapse, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportSkipped } from '../../../common/contracts/imports.js';

export interface ImportRowError {
  row: number;
  column: string;
  message: string;
}

export function ImportErrorsTable({
  errors,
  'data-testid': testId,
}: {
  errors: ImportRowError[];
  'data-testid'?: string;
}) {
  const { t } = useTranslation();
  if (errors.length === 0) return null;
  // Narrow fixed columns and a wrapping reason: the table fits a phone without scrolling sideways.
  return (
    <Table
      data-testid={testId}
      size="small"
      rowKey={(r) => `${r.row}:${r.column}:${r.message}`}
      dataSource={errors}
      pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
      tableLayout="fixed"
      columns={[
        { title: t('import.row'), dataIndex: 'row', width: 64 },
        { title: t('import.column'), dataIndex: 'column', width: 96 },
        { title: t('import.message'), dataIndex: 'message' },
      ]}
    />
  );
}

/** The rows skipped, folded: how many, and on opening each with its reason. */
export function ImportSkippedRows({ skipped }: { skipped: ImportSkipped }) {
  const { t } = useTranslation();
  if (skipped.total === 0) return null;
  const unlisted = skipped.total - skipped.rows.length;
  return (
    <Collapse
      size="small"
      data-testid="import-skipped"
      items={[
        {
          key: 'skipped',
          label: t('import.skipped', { count: skipped.total }),
          children: (
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {skipped.rows.map((r) => (
                <li key={r.row} data-reason={r.reason}>
                  {t('import.skippedRow', { row: r.row, message: r.message })}
                </li>
              ))}
              {unlisted > 0 && (
                <li>
                  <Typography.Text type="secondary">
                    {t('import.skippedMore', { count: unlisted })}
                  </Typography.Text>
                </li>
              )}
            </ul>
          ),
        },
      ]}
    />
  );
}
