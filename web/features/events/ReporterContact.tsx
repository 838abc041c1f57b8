// The reporter on an event's detail: name and masked phone, and for who may call them back (the
// server's abilities.revealPhone) a reveal that asks why, then POST /api/events/:id/reveal-reporter-phone.
// The clear number lives in this component's state only (never the query cache): gone once the page is left.
import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Space, Tooltip, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { revealReporterPhone, type EventDetail } from '../../api/events.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { LIMITS } from '../../../common/limits.js';

function RevealPhoneModal({
  eventId,
  open,
  onClose,
  onRevealed,
}: {
  eventId: number;
  open: boolean;
  onClose: () => void;
  onRevealed: (phone: string) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const onError = useFormErrorHandler();
  const reveal = useMutation({
    mutationFn: (reason: string) => revealReporterPhone(eventId, reason),
    onSuccess: (r) => {
      onRevealed(r.phone);
      onClose();
    },
    onError: (e) => onError(e, form, ['reason']),
  });
  const tooShort = (v: string | undefined) => v !== undefined && v.trim().length > 0 && v.trim().length < 2;
  return (
    <Modal
      open={open}
      title={t('events.revealPhoneTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('events.revealPhone')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: reveal.isPending, 'data-testid': 'reveal-phone-submit' }}
      destroyOnHidden
    >
      <Alert type="info" showIcon title={t('events.revealPhoneNotice')} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" preserve={false} onFinish={(v) => reveal.mutate(v.reason.trim())}>
        <Form.Item
          name="reason"
          label={t('events.reason')}
          rules={[
            { required: true, whitespace: true, message: t('events.revealPhoneReasonRequired') },
            {
              validator: (_r, v: string | undefined) =>
                tooShort(v)
                  ? Promise.reject(new Error(t('events.revealPhoneReasonRequired')))
                  : Promise.resolve(),
            },
          ]}
        >
          <Input.TextArea
            data-testid="reveal-phone-reason"
            maxLength={LIMITS.reason}
            autoSize={{ minRows: 2, maxRows: 5 }}
            placeholder={t('events.revealPhoneReasonPlaceholder')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Render with `key={event.id}`, so that a revealed number never carries over to another event. */
export function ReporterContact({ event }: { event: EventDetail }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [phone, setPhone] = useState<string | null>(null);
  const { name, phone: masked } = event.reporter;
  if (!name && !masked) return <>—</>;
  return (
    <Space orientation="vertical" size={0}>
      <Space size={4} wrap>
        {name && <span data-testid="reporter-name">{name}</span>}
        {phone ? (
          <Typography.Link
            href={`tel:${phone}`}
            strong
            copyable={{ text: phone }}
            className="linli-mono"
            data-testid="reporter-phone-revealed"
            aria-label={`${t('events.callReporter')} ${phone}`}
          >
            {phone}
          </Typography.Link>
        ) : (
          masked && (
            <span className="linli-mono" data-testid="reporter-phone-masked">
              {masked}
            </span>
          )
        )}
        {!phone && masked && event.abilities.revealPhone && (
          <Tooltip title={t('events.revealPhoneHint')}>
            <Button size="small" type="link" data-testid="reveal-phone" onClick={() => setOpen(true)}>
              {t('events.revealPhone')}
            </Button>
          </Tooltip>
        )}
      </Space>
      {phone && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('events.revealPhoneRecorded')}
        </Typography.Text>
      )}
      <RevealPhoneModal eventId={event.id} open={open} onClose={() => setOpen(false)} onRevealed={setPhone} />
    </Space>
  );
}
