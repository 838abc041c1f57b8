// Asks why a sensitive field is needed, then POST /api/people/:id/reveal. The clear value goes to the
// caller's state only (never the query cache), so it is gone once the page is left.
import { Alert, Form, Input, Modal } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { revealPersonField, type RevealResponse, type SensitiveField } from '../../api/people.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { LIMITS } from '../../../common/limits.js';

export function RevealModal({
  personId,
  field,
  onClose,
  onRevealed,
}: {
  personId: number;
  field: SensitiveField | null;
  onClose: () => void;
  onRevealed: (r: RevealResponse) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const onError = useFormErrorHandler();
  const reveal = useMutation({
    mutationFn: (v: { field: SensitiveField; reason: string }) => revealPersonField(personId, v),
    onSuccess: (r) => {
      onRevealed(r);
      onClose();
    },
    onError: (e) => onError(e, form, ['reason']),
  });
  const fieldName = field === 'phone' ? t('people.phone') : t('people.idNumber');
  return (
    <Modal
      open={field !== null}
      title={t('people.revealTitle', { field: fieldName })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('people.reveal')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: reveal.isPending, 'data-testid': 'reveal-submit' }}
      destroyOnHidden
    >
      <Alert type="info" showIcon title={t('people.revealNotice')} style={{ marginBottom: 12 }} />
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={(v) => {
          if (field) reveal.mutate({ field, reason: v.reason.trim() });
        }}
      >
        <Form.Item
          name="reason"
          label={t('people.reason')}
          rules={[
            { required: true, whitespace: true, message: t('people.reasonRequired') },
            {
              validator: (_r, v: string | undefined) =>
                v && v.trim().length > 0 && v.trim().length < 2
                  ? Promise.reject(new Error(t('people.reasonRequired')))
                  : Promise.resolve(),
            },
          ]}
        >
          <Input.TextArea
            data-testid="reveal-reason"
            maxLength={LIMITS.reason}
            autoSize={{ minRows: 2, maxRows: 5 }}
            placeholder={t('people.reasonPlaceholder')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
