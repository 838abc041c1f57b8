// Bulk import of nodes from CSV/XLSX: POST /api/nodes/import (multipart `mode`, then `file`). Every
// row is checked first (all-or-nothing); when some have errors nothing is written, and the modal
// shows how many rows are valid, the bad ones with their reasons, and offers to import the valid rows.
import { useState } from 'react';
import { Alert, Button, Modal, Space, Statistic, Typography, Upload, type UploadFile } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.js';
import { importNodes } from '../../api/nodes.js';
import type { NodeImportReport } from '../../api/types.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { ImportErrorsTable, ImportSkippedRows } from '../../app/components/ImportErrorsTable.js';

type Mode = 'all-or-nothing' | 'valid-rows';

function isReport(v: unknown): v is NodeImportReport {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<NodeImportReport>;
  return typeof r.total === 'number' && Array.isArray(r.errors);
}

/** A rejected all-or-nothing import may come back as a problem carrying the report. */
function reportFromError(e: unknown): NodeImportReport | null {
  if (!isApiError(e)) return null;
  const p = e.problem;
  if (isReport(p)) return p;
  if (isReport(p.report)) return p.report;
  return null;
}

export function ImportModal({
  open,
  onClose,
  onImported,
}: {
  open: boolean;
  onClose: () => void;
  onImported: () => void;
}) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const upload = useMutation({
    mutationFn: ({ f, mode }: { f: File; mode: Mode }) => importNodes(f, mode),
    onSuccess: (r) => {
      if (r.imported > 0) onImported();
    },
  });
  const report = upload.data ?? reportFromError(upload.error);
  // Checked and refused as a whole: nothing written, the choice is the user's.
  const checkedOnly = report !== null && upload.variables?.mode === 'all-or-nothing' && report.rejected > 0;
  const valid = report ? Math.max(0, report.total - report.rejected) : 0;
  const fileList: UploadFile[] = file ? [{ uid: 'f', name: file.name, status: 'done' }] : [];

  const reset = () => {
    setFile(null);
    upload.reset();
  };

  return (
    <Modal
      open={open}
      title={t('import.title')}
      onCancel={() => {
        reset();
        onClose();
      }}
      footer={null}
      width={720}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('import.help')}{' '}
          <a href="/api/nodes/import/template" download data-testid="import-template">
            {t('import.template')}
          </a>
        </Typography.Paragraph>
        <Upload
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          maxCount={1}
          fileList={fileList}
          beforeUpload={(f) => {
            setFile(f);
            upload.reset();
            return false;
          }}
          onRemove={() => {
            reset();
          }}
        >
          <Button data-testid="import-file">{t('import.chooseFile')}</Button>
        </Upload>
        <Button
          type="primary"
          data-testid="import-submit"
          disabled={!file}
          loading={upload.isPending}
          onClick={() => {
            if (file) upload.mutate({ f: file, mode: 'all-or-nothing' });
          }}
        >
          {t('import.submit')}
        </Button>
        {upload.isError && !report && <ErrorAlert error={upload.error} />}
        {report && (
          <div data-testid="import-report">
            {checkedOnly ? (
              <Alert
                type="warning"
                showIcon
                title={t('import.checked', { count: valid, invalid: report.rejected })}
                description={
                  valid > 0 &&
                  file && (
                    <Button
                      type="primary"
                      data-testid="import-valid-rows"
                      onClick={() => upload.mutate({ f: file, mode: 'valid-rows' })}
                    >
                      {t('import.importValidRows', { count: valid })}
                    </Button>
                  )
                }
                style={{ marginBottom: 12 }}
              />
            ) : (
              <Alert
                type={report.rejected === 0 ? 'success' : report.imported > 0 ? 'warning' : 'error'}
                showIcon
                title={t('import.summary', {
                  total: report.total,
                  imported: report.imported,
                  rejected: report.rejected,
                })}
                style={{ marginBottom: 12 }}
              />
            )}
            <ImportErrorsTable errors={report.errors} />
            <Space size="large" wrap style={{ marginBottom: 12 }}>
              <Statistic title={t('import.total')} value={report.total} />
              <Statistic title={t('import.imported')} value={report.imported} />
              <Statistic title={t('import.rejected')} value={report.rejected} />
            </Space>
            <ImportSkippedRows skipped={report.skipped} />
          </div>
        )}
      </Space>
    </Modal>
  );
}
