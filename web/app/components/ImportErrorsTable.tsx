// The row-level problems of an import (row, column, what is wrong), shared by every import screen.
import { Table } from 'antd';
import { useTranslation } from 'react-i18next';

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
  return (
    <Table
      data-testid={testId}
      size="small"
      rowKey={(r) => `${r.row}:${r.column}:${r.message}`}
      dataSource={errors}
      pagination={{ pageSize: 10, hideOnSinglePage: true }}
      scroll={{ x: 'max-content' }}
      columns={[
        { title: t('import.row'), dataIndex: 'row', width: 80 },
        { title: t('import.column'), dataIndex: 'column', width: 120 },
        { title: t('import.message'), dataIndex: 'message' },
      ]}
    />
  );
}
