// /people/import — bulk import of residents from XLSX/CSV as officials keep them: POST
// /api/people/import (multipart `mode`, `ref`, then `file`). Every row is checked first
// (all-or-nothing): a clean file goes in at once; otherwise nothing is written and the page shows
// how many rows are valid, the bad rows with their reasons and, in the same place, the two ways on:
// import the valid rows (the same file again, mode valid-rows) or download the bad rows' workbook.
// While a run goes on, GET /api/people/imports?ref= is polled for its progress.
import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Card, Progress, Space, Statistic, Tag, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isApiError, saveBlob } from '../../api/client.js';
import {
  householdKeys,
  importErrorsWorkbook,
  importPeople,
  newRef,
  peopleKeys,
  useImportProgress,
  type ImportReport,
} from '../../api/people.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { ImportErrorsTable, ImportSkippedRows } from '../../app/components/ImportErrorsTable.js';
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
  const download = useMutation({
    mutationFn: async (r: ImportReport) => {
      saveBlob(await importErrorsWorkbook(r.errorWorkbook!), t('peopleImport.errorFile', { job: r.jobId }));
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
  // Progress of the running import; null until the server has registered the job.
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
    setRun(r);
    download.reset();
    upload.mutate({ f: file, r });
  };

  const polled = progress.data && FINAL.has(progress.data.status) ? progress.data : null;
  const report = upload.data ?? reportFromError(upload.error) ?? (lostAnswer ? polled : null);
  const live = following && !polled ? (progress.data ?? null) : null;
  const running = upload.isPending || (lostAnswer && !polled && progress.data !== null);
  const percent = live && live.total > 0 ? Math.min(100, Math.floor((live.processed / live.total) * 100)) : 0;
  // Checked and refused as a whole: nothing written, the choice is the official's.
  const checkedOnly = report !== null && report.status === 'rejected';
  const valid = report ? Math.max(0, report.total - report.rejected) : 0;

  const chooseFile = (f: File | null) => {
    setFile(f);
    setRun(null);
    upload.reset();
    download.reset();
  };

  const statusText = (s: ImportReport['status'] | undefined) =>
    s === 'importing'
      ? t('peopleImport.importing')
      : s === 'validating'
        ? t('peopleImport.validating')
        : t('peopleImport.uploading');

  const downloadButton = report?.errorWorkbook ? (
    <Button
      data-testid="import-error-workbook"
      loading={download.isPending}
      onClick={() => download.mutate(report)}
    >
      {t('peopleImport.downloadBad', { count: report.rejected })}
    </Button>
  ) : null;

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
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('peopleImport.flowHelp')}
          </Typography.Text>
          <Button
            type="primary"
            data-testid="import-submit"
            disabled={!file}
            loading={running}
            onClick={() => start('all-or-nothing')}
          >
            {t('peopleImport.submit')}
          </Button>
          {running && (
            <div>
              <Typography.Text type="secondary">
                {statusText(live?.status)}
                {live && live.total > 0 ? ` ${live.processed} / ${live.total}` : ''}
              </Typography.Text>
              <Progress
                data-testid="import-progress"
                percent={percent}
                status="active"
                aria-label={statusText(live?.status)}
              />
            </div>
          )}
          {upload.isError && !report && !running && <ErrorAlert error={upload.error} />}
        </Space>
      </Card>
      {report && (
        <Card size="small" style={{ marginTop: 16 }} data-testid="import-report" data-status={report.status}>
          {checkedOnly ? (
            <Alert
              type="warning"
              showIcon
              data-testid="import-nothing-written"
              title={t('peopleImport.checked', { count: valid, invalid: report.rejected })}
              description={
                <Space orientation="vertical" size={8} style={{ width: '100%' }}>
                  <span>{t('peopleImport.nothingYet')}</span>
                  <Space wrap>
                    {valid > 0 && file && (
                      <Button
                        type="primary"
                        data-testid="import-valid-rows"
                        loading={upload.isPending}
                        onClick={() => start('valid-rows')}
                      >
                        {t('peopleImport.importValidRows', { count: valid })}
                      </Button>
                    )}
                    {downloadButton}
                  </Space>
                  <span>{t('peopleImport.orFix')}</span>
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
              data-testid="import-done"
              title={t('peopleImport.summary', {
                total: report.total,
                imported: report.imported,
                rejected: report.rejected,
              })}
              description={downloadButton}
              style={{ marginBottom: 12 }}
            />
          )}
          {download.isError && <ErrorAlert error={download.error} />}
          <ImportErrorsTable data-testid="import-errors" errors={report.errors} />
          <Space size="large" wrap style={{ margin: '12px 0' }}>
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
          <ImportSkippedRows skipped={report.skipped} />
        </Card>
      )}
    </div>
  );
}
