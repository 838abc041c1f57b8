// 附件 Attachments: an upload list for a directive, relay or report-back (each file uploaded at once,
// its token handed to the form), and the download links of what a directive or a report carries.
import { App, Button, Space, Upload } from 'antd';
import { useTranslation } from 'react-i18next';
import { useTokenUploads } from '../../app/useTokenUploads.js';
import { LIMITS } from '../../../common/limits.js';
import { isApiError } from '../../api/client.js';
import { directiveFileUrl, uploadDirectiveFile, type DirectiveFile } from '../../api/command.js';

const ACCEPT =
  '.pdf,.docx,.xlsx,.pptx,.txt,.jpg,.jpeg,.png,.webp,application/pdf,image/jpeg,image/png,image/webp,text/plain';

interface PickerProps {
  /** Upload tokens of the files that finished uploading, in the order shown. */
  value?: string[];
  onChange?: (tokens: string[]) => void;
  /** True while a file is still uploading: the form's submit waits, or the file would be left out. */
  onBusyChange?: (busy: boolean) => void;
  testId?: string;
}

export function AttachmentPicker({ value, onChange, onBusyChange, testId = 'attachments' }: PickerProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { files, publish } = useTokenUploads({
    value,
    onChange,
    onBusyChange,
    failedText: t('command.fileFailed'),
  });
  return (
    <div data-testid={testId}>
      <Upload<{ token: string }>
        accept={ACCEPT}
        multiple
        maxCount={LIMITS.directiveFilesPerStep}
        fileList={files}
        onChange={({ fileList }) => publish(fileList)}
        beforeUpload={(f) => {
          if (f.size <= LIMITS.directiveFileBytes) return true;
          void message.error(`${t('command.fileFailed')} ${f.name}`);
          return Upload.LIST_IGNORE;
        }}
        customRequest={({ file, onSuccess, onError, onProgress }) => {
          const f = file as File;
          onProgress?.({ percent: 50 });
          uploadDirectiveFile(f, f.name || 'file')
            .then((r) => onSuccess?.(r))
            .catch((e: unknown) => {
              const why = isApiError(e) ? (e.issues[0]?.message ?? e.message) : String(e);
              onError?.(Object.assign(new Error(why), { status: isApiError(e) ? e.status : 0 }));
            });
        }}
      >
        {files.length < LIMITS.directiveFilesPerStep && (
          <Button data-testid={`${testId}-add`}>{t('command.addFile')}</Button>
        )}
      </Upload>
      <div style={{ color: 'rgba(0, 0, 0, 0.6)', fontSize: 12, marginTop: 4 }}>
        {t('command.fileHint', {
          mb: LIMITS.directiveFileBytes / 1024 / 1024,
          n: LIMITS.directiveFilesPerStep,
        })}
      </div>
    </div>
  );
}

const size = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;

/** Download links of attachments, each served through the directive the page shows. */
export function AttachmentLinks({
  directiveId,
  files,
  testId,
}: {
  directiveId: number;
  files: readonly DirectiveFile[];
  testId?: string;
}) {
  const { t } = useTranslation();
  if (files.length === 0) return null;
  return (
    <Space size={[12, 2]} wrap data-testid={testId}>
      <span>{t('command.attachments')}：</span>
      {files.map((f) => (
        <a
          key={f.id}
          href={directiveFileUrl(directiveId, f.id)}
          download={f.name}
          data-testid={`file-link-${f.id}`}
        >
          📎 {f.name} <span style={{ color: 'rgba(0, 0, 0, 0.6)' }}>({size(f.sizeBytes)})</span>
        </a>
      ))}
    </Space>
  );
}
