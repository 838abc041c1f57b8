// A service request's steps for the volunteer holding it, as its abilities allow: take it, decline it
// (it goes to the next nearest), and report it done with a note, the minutes spent and a photo taken on
// the phone (sent as multipart). Whoever raised or matched it rates it as the resident said and may
// cancel it while open.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { App, Button, Form, Input, InputNumber, Modal, Popconfirm, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  acceptRequest,
  cancelRequest,
  completeRequest,
  declineRequest,
  rateRequest,
  useServicesRefresh,
  type ServiceRequestView,
} from '../../api/services.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { SERVICES_LIMITS } from '../../../common/contracts/services-codes.js';

interface DoneValues {
  note: string;
  minutes: number;
}

function CompleteModal({ r, onClose }: { r: ServiceRequestView; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<DoneValues>();
  const onError = useFormErrorHandler();
  const refresh = useServicesRefresh();
  const [photo, setPhoto] = useState<File | null>(null);
  const done = useMutation({
    mutationFn: (v: DoneValues) =>
      completeRequest(r.id, { note: v.note.trim(), minutes: v.minutes, photo: photo! }),
    onSuccess: (v) => {
      void message.success(t('services.completed'));
      refresh({ request: v });
      onClose();
    },
    onError: (e) => onError(e, form, ['note', 'minutes']),
  });
  return (
    <Modal
      open
      title={t('services.completeTitle', { ref: r.reference })}
      onCancel={onClose}
      okText={t('services.completeSend')}
      okButtonProps={{
        loading: done.isPending,
        disabled: !photo,
        'data-testid': 'complete-send',
      }}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form<DoneValues>
        form={form}
        layout="vertical"
        initialValues={{ minutes: 60 }}
        onFinish={(v) => done.mutate(v)}
        data-testid="complete-form"
      >
        <Form.Item
          name="note"
          label={t('services.doneNote')}
          rules={[{ required: true, whitespace: true, max: SERVICES_LIMITS.textChars }]}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} data-testid="complete-note" />
        </Form.Item>
        <Form.Item
          name="minutes"
          label={t('services.minutesSpent')}
          rules={[{ required: true, type: 'number', min: 0, max: SERVICES_LIMITS.requestMinutesMax }]}
        >
          <InputNumber
            min={0}
            max={SERVICES_LIMITS.requestMinutesMax}
            step={15}
            inputMode="numeric"
            style={{ width: '100%' }}
            data-testid="complete-minutes"
          />
        </Form.Item>
        <Form.Item label={t('services.photo')} required extra={t('services.photoHelp')}>
          {/* The phone's camera opens straight away (capture); a desktop picks a file. */}
          <label className="linli-svc-photo">
            <input
              type="file"
              accept="image/jpeg,image/png,image/webp"
              capture="environment"
              data-testid="complete-photo"
              onChange={(e) => setPhoto(e.target.files?.[0] ?? null)}
            />
            <span>{photo ? photo.name : t('services.takePhoto')}</span>
          </label>
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A reason asked before a step that needs one (cancelling). */
export function ReasonModal({
  title,
  onOk,
  onClose,
  pending,
}: {
  title: string;
  onOk: (reason: string) => void;
  onClose: () => void;
  pending: boolean;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() => onOk(reason.trim())}
      okButtonProps={{ disabled: !reason.trim(), loading: pending }}
      destroyOnHidden
    >
      <label htmlFor="svc-reason">{t('services.reason')}</label>
      <Input.TextArea
        id="svc-reason"
        value={reason}
        maxLength={500}
        autoSize={{ minRows: 2 }}
        onChange={(e) => setReason(e.target.value)}
        data-testid="reason-text"
      />
    </Modal>
  );
}

export function RequestActions({ r }: { r: ServiceRequestView }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useFormErrorHandler();
  const refresh = useServicesRefresh();
  const [completing, setCompleting] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [score, setScore] = useState<number | null>(null);
  const accept = useMutation({
    mutationFn: () => acceptRequest(r.id),
    onSuccess: (v) => {
      void message.success(t('services.accepted'));
      refresh({ request: v });
    },
    onError: (e) => onError(e),
  });
  const decline = useMutation({
    mutationFn: () => declineRequest(r.id),
    onSuccess: () => {
      void message.success(t('services.declined'));
      refresh();
    },
    onError: (e) => onError(e),
  });
  const rate = useMutation({
    mutationFn: (s: number) => rateRequest(r.id, s),
    onSuccess: (v) => {
      void message.success(t('services.rated'));
      refresh({ request: v });
    },
    onError: (e) => onError(e),
  });
  const cancel = useMutation({
    mutationFn: (reason: string) => cancelRequest(r.id, reason),
    onSuccess: (v) => {
      setCancelling(false);
      refresh({ request: v });
    },
    onError: (e) => onError(e),
  });
  const a = r.abilities;
  if (!a.accept && !a.decline && !a.complete && !a.rate && !a.cancel) return null;
  return (
    <div className="linli-svc-actions">
      {a.accept && (
        <Button
          type="primary"
          size="large"
          loading={accept.isPending}
          onClick={() => accept.mutate()}
          data-testid={`accept-${r.id}`}
        >
          {t('services.accept')}
        </Button>
      )}
      {a.decline && (
        <Popconfirm title={t('services.declineConfirm')} onConfirm={() => decline.mutate()}>
          <Button size="large" loading={decline.isPending} data-testid={`decline-${r.id}`}>
            {t('services.decline')}
          </Button>
        </Popconfirm>
      )}
      {a.complete && (
        <Button
          type="primary"
          size="large"
          onClick={() => setCompleting(true)}
          data-testid={`complete-${r.id}`}
        >
          {t('services.complete')}
        </Button>
      )}
      {a.rate && (
        <div className="linli-svc-rate">
          <span id={`rate-label-${r.id}`}>{t('services.satisfaction')}</span>
          <Radio.Group
            aria-labelledby={`rate-label-${r.id}`}
            optionType="button"
            value={score}
            onChange={(e) => {
              setScore(e.target.value as number);
              rate.mutate(e.target.value as number);
            }}
            options={[1, 2, 3, 4, 5].map((n) => ({ value: n, label: String(n) }))}
            disabled={rate.isPending}
          />
        </div>
      )}
      {a.cancel && (
        <Button
          danger
          size="large"
          onClick={() => setCancelling(true)}
          data-testid={`cancel-request-${r.id}`}
        >
          {t('services.cancelRequest')}
        </Button>
      )}
      {completing && <CompleteModal r={r} onClose={() => setCompleting(false)} />}
      {cancelling && (
        <ReasonModal
          title={t('services.cancelRequest')}
          pending={cancel.isPending}
          onOk={(reason) => cancel.mutate(reason)}
          onClose={() => setCancelling(false)}
        />
      )}
    </div>
  );
}
