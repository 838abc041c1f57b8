// Recording a care visit from the phone: the day (today unless said), a note, and a need found on the
// visit (raised at once as a service request for the person), with the phone's position when it gives
// one.
import { useMutation } from '@tanstack/react-query';
import { App, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentPlace } from '../../api/defence.js';
import {
  recordVisit,
  useServicesRefresh,
  type RequestKind,
  type RosterEntryView,
} from '../../api/services.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { REQUEST_KINDS, SERVICES_LIMITS } from '../../../common/contracts/services-codes.js';
import { shanghaiDay } from '../mediation/dates.js';

interface Values {
  visitedOn: string;
  note?: string;
  need?: RequestKind;
}

export function VisitModal({ entry, onClose }: { entry: RosterEntryView; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const onError = useFormErrorHandler();
  const refresh = useServicesRefresh();
  const today = shanghaiDay();
  const save = useMutation({
    mutationFn: async (v: Values) => {
      const p = await currentPlace();
      return recordVisit(entry.id, {
        visitedOn: v.visitedOn,
        note: v.note?.trim() ? v.note.trim() : null,
        need: v.need ?? null,
        lat: p.lat ?? null,
        lng: p.lng ?? null,
      });
    },
    onSuccess: (v) => {
      void message.success(
        v.requestId !== null
          ? t('services.visitSavedNeed', { next: v.nextDueOn })
          : t('services.visitSaved', { next: v.nextDueOn }),
      );
      refresh();
      onClose();
    },
    onError: (e) => onError(e, form, ['visitedOn', 'note', 'need']),
  });
  return (
    <Modal
      open
      title={t('services.visitTitle', { name: entry.person.name })}
      onCancel={onClose}
      okText={t('services.visitSave')}
      okButtonProps={{
        loading: save.isPending,
        'data-testid': 'visit-save',
      }}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ visitedOn: today }}
        onFinish={(v) => save.mutate(v)}
        data-testid="visit-form"
      >
        <Form.Item name="visitedOn" label={t('services.visitedOn')} rules={[{ required: true }]}>
          <Input type="date" max={today} />
        </Form.Item>
        <Form.Item name="note" label={t('services.visitNote')} rules={[{ max: SERVICES_LIMITS.textChars }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
        <Form.Item name="need" label={t('services.needFound')} extra={t('services.needFoundHelp')}>
          <Select
            allowClear
            placeholder={t('services.noNeed')}
            options={REQUEST_KINDS.map((k) => ({ value: k, label: t(`services.requestKind.${k}`) }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
