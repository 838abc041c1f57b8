// The passages list to XLSX with the list's filters: always masked (ID numbers and phones as
// 330112********123X), as the people list's default export. GET /api/passages/export.xlsx.
import { App, Button } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { saveBlob } from '../../api/client.js';
import { exportPassages, type PassageFilters } from '../../api/passages.js';
import { useFormErrorHandler } from '../../app/forms.js';

const FILENAME = 'passages.xlsx';

export function PassageExportButtons({ filters }: { filters: PassageFilters }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useFormErrorHandler();
  const run = useMutation({
    mutationFn: async () => saveBlob(await exportPassages(filters), FILENAME),
    onSuccess: () => void message.success(t('passages.exported')),
    onError: (e) => onError(e),
  });
  return (
    <Button data-testid="passages-export" loading={run.isPending} onClick={() => run.mutate()}>
      {t('passages.export')}
    </Button>
  );
}
