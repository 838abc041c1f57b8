// The state of an upload list whose files are uploaded at once and handed to a form as one-time
// tokens (event photos, directive attachments): what is shown, what the form gets, whether anything
// is still uploading, and a form reset clearing it.
import { useState } from 'react';
import { App, type UploadFile } from 'antd';

export function useTokenUploads(o: {
  value: string[] | undefined;
  onChange?: ((tokens: string[]) => void) | undefined;
  onBusyChange?: ((busy: boolean) => void) | undefined;
  failedText: string;
}) {
  const { message } = App.useApp();
  const [files, setFiles] = useState<UploadFile<{ token: string }>[]>([]);
  // A form reset sets the value back to undefined: the files go too.
  const [seen, setSeen] = useState(o.value);
  if (o.value !== seen) {
    setSeen(o.value);
    if (o.value === undefined && files.length > 0) {
      setFiles([]);
      o.onBusyChange?.(false);
    }
  }
  const publish = (all: UploadFile<{ token: string }>[]) => {
    // A refused file is said once and leaves the list: it would otherwise hold a place and look sent.
    for (const f of all.filter((x) => x.status === 'error'))
      void message.error(`${o.failedText} ${f.name}: ${f.error instanceof Error ? f.error.message : ''}`);
    const list = all.filter((f) => f.status !== 'error');
    setFiles(list);
    o.onBusyChange?.(list.some((f) => f.status === 'uploading'));
    o.onChange?.(list.filter((f) => f.status === 'done' && f.response?.token).map((f) => f.response!.token));
  };
  return { files, publish };
}
