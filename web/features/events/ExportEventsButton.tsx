// Export of the events list with its current filters to XLSX: every matching event the caller may
// list, without the reporter's name or phone. POST /api/events/export answers with the file and
// records the export; over 50,000 events it answers 400 asking to narrow the filters.
import { App, Button, Tooltip } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { saveBlob } from '../../api/client.js';
import { exportEvents, type EventFilters } from '../../api/events.js';
import { useFormErrorHandler } from '../../app/forms.js';

const FILENAME = 'events.xlsx';

export function ExportEventsButton({ filters }: { filters: EventFilters }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useFormErrorHandler();
  const run = useMutation({
    mutationFn: async () => {
      // The list's filters as they are, empty ones left out (the body is a strict object).
      const body = Object.fromEntries(
        Object.entries(filters).filter(
          ([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0),
        ),
      );
      saveBlob(await exportEvents(body), FILENAME);
    },
    onSuccess: () => void message.success(t('eventViews.exported')),
    onError: (e) => onError(e),
  });
  return (
    <Tooltip title={t('eventViews.exportHint')}>
      <Button data-testid="events-export" loading={run.isPending} onClick={() => run.mutate()}>
        {t('eventViews.export')}
      </Button>
    </Tooltip>
  );
}
