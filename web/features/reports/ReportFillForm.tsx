// One node's report for a day: an antd Form with an input per field (number, text or choice).
import { useEffect } from 'react';
import { App, Button, Card, Form, Input, InputNumber, Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  useSubmitReport,
  type ReportForm,
  type ReportTemplate,
  type ReportValue,
} from '../../api/reports.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { formatTime, useLabel } from '../../app/format.js';

export function ReportFillForm({ template, form: f }: { template: ReportTemplate; form: ReportForm }) {
  const { t } = useTranslation();
  const label = useLabel();
  const { message } = App.useApp();
  const [form] = Form.useForm<Record<string, ReportValue>>();
  const submit = useSubmitReport(template.id);
  const onError = useFormErrorHandler();
  // Only when the stored values really changed: a refetch after someone else's live update brings
  // an equal copy, and must not overwrite what is being typed here.
  const stored = JSON.stringify(f.values ?? {});
  useEffect(() => form.setFieldsValue(JSON.parse(stored) as Record<string, ReportValue>), [stored, form]);

  const save = (values: Record<string, ReportValue | undefined>) => {
    // Empty inputs are left out: the server lists a required one as missing.
    const given = Object.fromEntries(
      Object.entries(values).filter(([, v]) => v !== undefined && v !== null && v !== ''),
    ) as Record<string, ReportValue>;
    submit.mutate(
      { nodeId: f.node.id, day: f.day, values: given },
      {
        onSuccess: (r) => void message.success(r.late ? t('reports.savedLate') : t('reports.saved')),
        onError: (e) =>
          onError(
            e,
            form,
            template.fields.map((x) => x.code),
            Object.fromEntries(template.fields.map((x) => [`values.${x.code}`, x.code])),
          ),
      },
    );
  };

  return (
    <Card
      size="small"
      title={t('reports.fillTitle', {
        node: f.node.parentName ? `${f.node.parentName} / ${f.node.name}` : f.node.name,
      })}
      extra={
        <Space size={4}>
          {f.submittedAt ? (
            f.late ? (
              <Tag color="orange">{t('reports.tagLate')}</Tag>
            ) : (
              <Tag color="green">{t('reports.tagOnTime')}</Tag>
            )
          ) : (
            <Tag color="red">{t('reports.tagMissing')}</Tag>
          )}
          <Typography.Text type="secondary">
            {f.submittedAt
              ? t('reports.submittedAt', { at: formatTime(f.submittedAt) })
              : t('reports.dueAt', { at: formatTime(f.dueAt) })}
          </Typography.Text>
        </Space>
      }
      data-testid={`report-form-${f.node.id}`}
    >
      <Form form={form} layout="vertical" onFinish={save} disabled={Boolean(template.retiredAt)}>
        <Space wrap align="start">
          {template.fields.map((x) => (
            <Form.Item
              key={x.code}
              name={x.code}
              label={`${label({ zh: x.labelZh, en: x.labelEn })}`}
              rules={x.required ? [{ required: true }] : []}
            >
              {x.type === 'integer' || x.type === 'decimal' ? (
                <InputNumber
                  min={0}
                  precision={x.type === 'integer' ? 0 : undefined}
                  style={{ width: 160 }}
                  data-testid={`report-value-${x.code}`}
                />
              ) : x.type === 'choice' ? (
                <Select
                  style={{ width: 160 }}
                  allowClear
                  options={(x.choices ?? []).map((c) => ({ value: c, label: c }))}
                  data-testid={`report-value-${x.code}`}
                />
              ) : (
                <Input.TextArea
                  maxLength={500}
                  autoSize
                  style={{ width: 280 }}
                  data-testid={`report-value-${x.code}`}
                />
              )}
            </Form.Item>
          ))}
        </Space>
        <Button
          type="primary"
          htmlType="submit"
          loading={submit.isPending}
          data-testid={`report-submit-${f.node.id}`}
        >
          {t('reports.save')}
        </Button>
      </Form>
    </Card>
  );
}
