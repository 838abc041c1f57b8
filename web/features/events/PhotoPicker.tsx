// Photos for a report or a step: taken or chosen on the phone, shrunk in the browser, uploaded at
// once (so a slow connection shows progress per photo), and handed to the form as upload tokens.
import { Upload } from 'antd';
import { useTranslation } from 'react-i18next';
import { useTokenUploads } from '../../app/useTokenUploads.js';
import { LIMITS } from '../../../common/limits.js';
import { isApiError } from '../../api/client.js';
import { uploadPhoto } from '../../api/photos.js';
import { shrinkPhoto } from '../../app/photos.js';

interface Props {
  /** Upload tokens of the photos that finished uploading, in the order shown. */
  value?: string[];
  onChange?: (tokens: string[]) => void;
  /** The resident's form: uploads without login. */
  resident?: boolean;
  testId?: string;
  /** True while a photo is still uploading: the form's submit waits, or the photo would be left out. */
  onBusyChange?: (busy: boolean) => void;
}

export function PhotoPicker({
  value,
  onChange,
  resident = false,
  testId = 'photo-picker',
  onBusyChange,
}: Props) {
  const { t } = useTranslation();
  const { files, publish } = useTokenUploads({
    value,
    onChange,
    onBusyChange,
    failedText: t('events.photoFailed'),
  });
  return (
    <div data-testid={testId}>
      <Upload<{ token: string }>
        listType="picture-card"
        accept="image/jpeg,image/png,image/webp,image/*"
        multiple
        maxCount={LIMITS.photosPerStep}
        fileList={files}
        onChange={({ fileList }) => publish(fileList)}
        customRequest={({ file, onSuccess, onError, onProgress }) => {
          const f = file as File;
          onProgress?.({ percent: 30 });
          shrinkPhoto(f)
            .then((blob) => {
              onProgress?.({ percent: 60 });
              return uploadPhoto(blob, f.name || 'photo.jpg', resident);
            })
            .then((r) => onSuccess?.(r))
            .catch((e: unknown) => {
              const why = isApiError(e) ? (e.issues[0]?.message ?? e.message) : String(e);
              onError?.(Object.assign(new Error(why), { status: isApiError(e) ? e.status : 0 }));
            });
        }}
        showUploadList={{ showPreviewIcon: false }}
      >
        {files.length < LIMITS.photosPerStep && (
          <button type="button" style={{ border: 0, background: 'none', cursor: 'pointer' }}>
            <div style={{ fontSize: 22, lineHeight: 1 }}>+</div>
            <div style={{ marginTop: 8 }}>{t('events.addPhoto')}</div>
          </button>
        )}
      </Upload>
    </div>
  );
}
