// The passages list to XLSX, as the people list does it: masked for anyone who may read passages;
// unmasked (with a reason, recorded) for holders of people.reveal. POST /api/passages/export.
import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { saveBlob } from '../../api/client.js';
import { exportPassages, type PassageFilters } from '../../api/passages.js';
import { useAuth } from '../../app/auth.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { LIMITS } from '../../../common/limits.js';

const FILENAME = 'passages.xlsx';

export function PassageExportButtons({ filters }: { filters: PassageFilters }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const onError = useFormErrorHandler();
  const [askReason, setAskReason] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();

  const run = useMutation({
    mutationFn: async ({ unmasked, reason }: { unmasked: boolean; reason?: string }) => {
      saveBlob(await exportPassages({ ...filters, unmasked, reason }), FILENAME);
    },
    onSuccess: (_v, { unmasked }) => {
      void message.success(unmasked ? t('passages.exportedUnmasked') : t('passages.exported'));
      setAskReason(false);
    },
    onError: (e) => onError(e, askReason ? form : undefined, ['reason']),
  });

  return (
    <>
      <Button
        data-testid="passages-export"
        loading={run.isPending && !run.variables.unmasked}
        onClick={() => run.mutate({ unmasked: false })}
      >
        {t('passages.export')}
      </Button>
      {can('people.reveal') && (
        <Button data-testid="passages-export-unmasked" danger onClick={() => setAskReason(true)}>
          {t('passages.exportUnmasked')}
        </Button>
      )}
      <Modal
        open={askReason}
        title={t('passages.exportUnmasked')}
        onCancel={() => setAskReason(false)}
        onOk={() => form.submit()}
        okText={t('passages.export')}
        okButtonProps={{ danger: true, loading: run.isPending, 'data-testid': 'passages-export-submit' }}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        <Alert
          type="warning"
          showIcon
          title={t('passages.exportUnmaskedWarning')}
          style={{ marginBottom: 12 }}
        />
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={(v) => run.mutate({ unmasked: true, reason: v.reason.trim() })}
        >
          <Form.Item
            name="reason"
            label={t('passages.reasonLabel')}
            rules={[
              { required: true, whitespace: true, message: t('passages.reasonRequired') },
              { min: 2, message: t('passages.reasonRequired') },
            ]}
          >
            <Input.TextArea
              data-testid="passages-export-reason"
              maxLength={LIMITS.reason}
              autoSize={{ minRows: 2 }}
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
