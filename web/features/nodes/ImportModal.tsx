// Bulk import of nodes from CSV/XLSX: POST /api/nodes/import (multipart `mode`, then `file`).
import { useState } from 'react';
import { Alert, Button, Modal, Radio, Space, Statistic, Typography, Upload, type UploadFile } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.js';
import { importNodes } from '../../api/nodes.js';
import type { NodeImportReport } from '../../api/types.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { ImportErrorsTable } from '../../app/components/ImportErrorsTable.js';

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
  const [mode, setMode] = useState<Mode>('all-or-nothing');
  const upload = useMutation({
    mutationFn: (f: File) => importNodes(f, mode),
    onSuccess: (r) => {
      if (r.imported > 0) onImported();
    },
  });
  const report = upload.data ?? reportFromError(upload.error);
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
        <Radio.Group
          data-testid="import-mode"
          value={mode}
          onChange={(e) => setMode(e.target.value as Mode)}
          options={[
            { value: 'all-or-nothing', label: t('import.allOrNothing') },
            { value: 'valid-rows', label: t('import.validRows') },
          ]}
        />
        <Button
          type="primary"
          data-testid="import-submit"
          disabled={!file}
          loading={upload.isPending}
          onClick={() => {
            if (file) upload.mutate(file);
          }}
        >
          {t('import.submit')}
        </Button>
        {upload.isError && !report && <ErrorAlert error={upload.error} />}
        {report && (
          <div data-testid="import-report">
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
            <Space size="large" wrap style={{ marginBottom: 12 }}>
              <Statistic title={t('import.total')} value={report.total} />
              <Statistic title={t('import.imported')} value={report.imported} />
              <Statistic title={t('import.rejected')} value={report.rejected} />
            </Space>
            <ImportErrorsTable errors={report.errors} />
          </div>
        )}
      </Space>
    </Modal>
  );
}
