// Matching a service request to a volunteer from the suggestions: the nearest first, those with the
// skill the need asks for marked, with how many open tasks each holds; one tap assigns.
import { useMutation } from '@tanstack/react-query';
import { App, Button, Modal, Spin, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  assignRequest,
  useRequestSuggestions,
  useServicesRefresh,
  type ServiceRequestView,
} from '../../api/services.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { useFormErrorHandler } from '../../app/forms.js';

export function AssignModal({ r, onClose }: { r: ServiceRequestView; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useFormErrorHandler();
  const refresh = useServicesRefresh();
  const suggestions = useRequestSuggestions(r.id, true);
  const assign = useMutation({
    mutationFn: (volunteerId: number) => assignRequest(r.id, volunteerId),
    onSuccess: (v) => {
      void message.success(t('services.assigned', { name: v.volunteer?.name ?? '' }));
      refresh({ request: v });
      onClose();
    },
    onError: (e) => onError(e),
  });
  const items = suggestions.data?.items ?? [];
  return (
    <Modal
      open
      title={t('services.assignTitle', { ref: r.reference })}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
    >
      <p className="linli-muted">
        {t(`services.requestKind.${r.kind}`)} · {r.person.name} · {r.node.name}
      </p>
      {suggestions.isLoading && <Spin />}
      <ErrorAlert error={suggestions.error} />
      {suggestions.isSuccess && items.length === 0 && (
        <p className="linli-muted">{t('services.noSuggestions')}</p>
      )}
      <ul className="linli-svc-rows" data-testid="suggestions">
        {items.map((s) => (
          <li key={s.volunteer.id}>
            <span className="linli-svc-grow">
              <strong>{s.volunteer.name}</strong>
              <span className="linli-muted"> · {s.home.name}</span>
              <br />
              {s.skillMatch && <Tag color="green">{t('services.skillMatch')}</Tag>}
              <Tag>{t('services.openTasks', { n: s.openTasks })}</Tag>
            </span>
            <Button
              type={r.volunteer?.id === s.volunteer.id ? 'default' : 'primary'}
              disabled={r.volunteer?.id === s.volunteer.id}
              loading={assign.isPending && assign.variables === s.volunteer.id}
              onClick={() => assign.mutate(s.volunteer.id)}
              data-testid={`assign-to-${s.volunteer.id}`}
            >
              {t('services.assign')}
            </Button>
          </li>
        ))}
      </ul>
    </Modal>
  );
}
