// Export of the current list to XLSX: masked for anyone who may read people; unmasked (with a
// reason, recorded) for holders of people.reveal. POST /api/people/export answers with the file.
import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { saveBlob } from '../../api/client.js';
import { exportPeople, type ExportInput, type PeopleFilters } from '../../api/people.js';
import { useAuth } from '../../app/auth.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { LIMITS } from '../../../common/limits.js';

const FILENAME = 'people.xlsx';

export function ExportButtons({ filters }: { filters: PeopleFilters }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const onError = useFormErrorHandler();
  const [askReason, setAskReason] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();

  const run = useMutation({
    mutationFn: async ({ unmasked, reason }: { unmasked: boolean; reason?: string }) => {
      const body: ExportInput = {
        node: filters.node,
        q: filters.q || undefined,
        tag: filters.tag && filters.tag.length > 0 ? filters.tag : undefined,
        type: filters.type,
        unmasked,
        reason,
      };
      saveBlob(await exportPeople(body), FILENAME);
    },
    onSuccess: (_v, { unmasked }) => {
      void message.success(unmasked ? t('people.exportedUnmasked') : t('people.exported'));
      setAskReason(false);
    },
    onError: (e) => onError(e, askReason ? form : undefined, ['reason']),
  });

  return (
    <>
      <Button
        data-testid="people-export"
        loading={run.isPending && !run.variables.unmasked}
        onClick={() => run.mutate({ unmasked: false })}
      >
        {t('people.export')}
      </Button>
      {can('people.reveal') && (
        <Button data-testid="people-export-unmasked" danger onClick={() => setAskReason(true)}>
          {t('people.exportUnmasked')}
        </Button>
      )}
      <Modal
        open={askReason}
        title={t('people.exportUnmasked')}
        onCancel={() => setAskReason(false)}
        onOk={() => form.submit()}
        okText={t('people.export')}
        okButtonProps={{ danger: true, loading: run.isPending, 'data-testid': 'export-submit' }}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        <Alert
          type="warning"
          showIcon
          title={t('people.exportUnmaskedWarning')}
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
            label={t('people.reason')}
            rules={[
              { required: true, whitespace: true, message: t('people.reasonRequired') },
              { min: 2, message: t('people.reasonRequired') },
            ]}
          >
            <Input.TextArea data-testid="export-reason" maxLength={LIMITS.reason} autoSize={{ minRows: 2 }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
