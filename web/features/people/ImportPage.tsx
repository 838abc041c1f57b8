// /people/import — bulk import of residents from XLSX/CSV: POST /api/people/import (multipart `mode`,
// `ref`, then `file`). While it runs, GET /api/people/imports/by-ref/:ref is polled for progress.
import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Card, Progress, Radio, Space, Statistic, Tag, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.js';
import {
  householdKeys,
  importPeople,
  newRef,
  peopleKeys,
  useImportProgress,
  type ImportReport,
} from '../../api/people.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { ImportErrorsTable } from '../../app/components/ImportErrorsTable.js';
import { PEOPLE_IMPORT_COLUMNS, PEOPLE_IMPORT_REQUIRED } from '../../../common/contracts/people.js';

type Mode = 'all-or-nothing' | 'valid-rows';
const FINAL = new Set<ImportReport['status']>(['done', 'rejected', 'interrupted', 'failed']);
const ACCEPT = '.xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function isReport(v: unknown): v is ImportReport {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<ImportReport>;
  return typeof r.total === 'number' && typeof r.status === 'string' && Array.isArray(r.errors);
}

/** A rejected import may come back as a problem carrying the report. */
function reportFromError(e: unknown): ImportReport | null {
  if (!isApiError(e)) return null;
  const p = e.problem;
  if (isReport(p)) return p;
  if (isReport(p.report)) return p.report;
  return null;
}

interface Run {
  ref: string;
  mode: Mode;
}

export default function ImportPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<Mode>('all-or-nothing');
  const [run, setRun] = useState<Run | null>(null);

  const upload = useMutation({
    mutationFn: ({ f, r }: { f: File; r: Run }) => importPeople(f, r.mode, r.ref),
    onSettled: async () => {
      await Promise.all([
        qc.invalidateQueries({ queryKey: peopleKeys.all }),
        qc.invalidateQueries({ queryKey: householdKeys.all }),
      ]);
    },
  });

  // The upload's answer can be lost (a proxy timing out on a large file) while the job goes on:
  // then keep following it by its ref.
  const lostAnswer =
    upload.isError &&
    !reportFromError(upload.error) &&
    isApiError(upload.error) &&
    (upload.error.status === 0 || upload.error.status >= 502);
  const following = run !== null && (upload.isPending || lostAnswer);
  // Progress of the running import; 404 until the server has registered the job.
  const progress = useImportProgress(run?.ref, {
    enabled: following,
    refetchInterval: (q) => {
      const d = q.state.data;
      if (d && FINAL.has(d.status)) return false;
      // After a lost answer, a job the server never registered is not waited for.
      if (!upload.isPending && d === null) return false;
      return 500;
    },
  });

  const start = (m: Mode) => {
    if (!file) return;
    const r = { ref: newRef(), mode: m };
    setMode(m);
    setRun(r);
    upload.mutate({ f: file, r });
  };

  const polled = progress.data && FINAL.has(progress.data.status) ? progress.data : null;
  const report = upload.data ?? reportFromError(upload.error) ?? (lostAnswer ? polled : null);
  const live = following && !polled ? (progress.data ?? null) : null;
  const running = upload.isPending || (lostAnswer && !polled && progress.data !== null);
  const percent = live && live.total > 0 ? Math.min(100, Math.floor((live.processed / live.total) * 100)) : 0;
  const nothingWritten =
    report !== null &&
    (report.status === 'rejected' ||
      (run?.mode === 'all-or-nothing' && report.rejected > 0 && report.imported === 0));

  const chooseFile = (f: File | null) => {
    setFile(f);
    setRun(null);
    upload.reset();
  };

  const statusText = (s: ImportReport['status'] | undefined) =>
    s === 'importing'
      ? t('peopleImport.importing')
      : s === 'validating'
        ? t('peopleImport.validating')
        : t('peopleImport.uploading');

  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('peopleImport.title')}</h1>
        <Link to="/people" data-testid="import-back">
          {t('peopleImport.back')}
        </Link>
      </div>
      <Card size="small">
        <Space orientation="vertical" style={{ width: '100%' }} size="middle">
          <Typography.Paragraph style={{ margin: 0 }}>
            {t('peopleImport.help')}{' '}
            <a href="/api/people/import/template" download data-testid="import-template">
              {t('peopleImport.template')}
            </a>
          </Typography.Paragraph>
          <div data-testid="import-columns">
            <Typography.Text type="secondary">{t('peopleImport.columns')}</Typography.Text>{' '}
            <Space size={[4, 4]} wrap>
              {PEOPLE_IMPORT_COLUMNS.map((c) => (
                <Tag
                  key={c}
                  color={(PEOPLE_IMPORT_REQUIRED as readonly string[]).includes(c) ? 'red' : undefined}
                >
                  {c}
                  {(PEOPLE_IMPORT_REQUIRED as readonly string[]).includes(c) ? ' *' : ''}
                </Tag>
              ))}
            </Space>
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('peopleImport.columnsHint')}
              </Typography.Text>
            </div>
          </div>
          <div>
            <input
              type="file"
              accept={ACCEPT}
              data-testid="import-file"
              aria-label={t('peopleImport.chooseFile')}
              className="linli-file-input"
              disabled={running}
              onChange={(e) => chooseFile(e.target.files?.[0] ?? null)}
            />
          </div>
          <Radio.Group
            data-testid="import-mode"
            value={mode}
            disabled={running}
            onChange={(e) => setMode(e.target.value as Mode)}
            options={[
              { value: 'all-or-nothing', label: t('peopleImport.allOrNothing') },
              { value: 'valid-rows', label: t('peopleImport.validRows') },
            ]}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {mode === 'all-or-nothing' ? t('peopleImport.allOrNothingHelp') : t('peopleImport.validRowsHelp')}
          </Typography.Text>
          <Button
            type="primary"
            data-testid="import-submit"
            disabled={!file}
            loading={running}
            onClick={() => start(mode)}
          >
            {t('peopleImport.submit')}
          </Button>
          {running && (
            <div>
              <Typography.Text type="secondary">
                {statusText(live?.status)}
                {live && live.total > 0 ? ` ${live.processed} / ${live.total}` : ''}
              </Typography.Text>
              <Progress data-testid="import-progress" percent={percent} status="active" />
            </div>
          )}
          {upload.isError && !report && !running && <ErrorAlert error={upload.error} />}
        </Space>
      </Card>
      {report && (
        <Card size="small" style={{ marginTop: 16 }} data-testid="import-report" data-status={report.status}>
          {nothingWritten ? (
            <Alert
              type="error"
              showIcon
              data-testid="import-nothing-written"
              title={t('peopleImport.nothingWritten', { rejected: report.rejected, total: report.total })}
              description={
                <Space orientation="vertical" size={8}>
                  <span>{t('peopleImport.nothingWrittenHelp')}</span>
                  {report.total > report.rejected && file && (
                    <Button
                      type="primary"
                      data-testid="import-valid-rows"
                      loading={upload.isPending}
                      onClick={() => start('valid-rows')}
                    >
                      {t('peopleImport.importValidRows')}
                    </Button>
                  )}
                </Space>
              }
              style={{ marginBottom: 12 }}
            />
          ) : report.status === 'failed' || report.status === 'interrupted' ? (
            <Alert
              type="error"
              showIcon
              title={t(`peopleImport.status.${report.status}`)}
              description={t('peopleImport.summary', {
                total: report.total,
                imported: report.imported,
                rejected: report.rejected,
              })}
              style={{ marginBottom: 12 }}
            />
          ) : (
            <Alert
              type={report.rejected === 0 ? 'success' : 'warning'}
              showIcon
              title={t('peopleImport.summary', {
                total: report.total,
                imported: report.imported,
                rejected: report.rejected,
              })}
              style={{ marginBottom: 12 }}
            />
          )}
          <Space size="large" wrap style={{ marginBottom: 12 }}>
            <Statistic title={t('peopleImport.total')} value={report.total} data-testid="import-total" />
            <Statistic
              title={t('peopleImport.imported')}
              value={report.imported}
              data-testid="import-imported"
            />
            <Statistic
              title={t('peopleImport.rejected')}
              value={report.rejected}
              data-testid="import-rejected"
            />
          </Space>
          {report.errorWorkbook && (
            <Typography.Paragraph>
              <a href={report.errorWorkbook} download data-testid="import-error-workbook">
                {t('peopleImport.errorWorkbook')}
              </a>
            </Typography.Paragraph>
          )}
          <ImportErrorsTable data-testid="import-errors" errors={report.errors} />
        </Card>
      )}
    </div>
  );
}
