// The form that sets up a daily report: the issuing node, the level that reports, the due time,
// the period, the open incident command it belongs to (if any) and 1–30 fields, each with its type and roll-up.
import { App, Button, Checkbox, DatePicker, Form, Input, Modal, Select, Space, TimePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { LEVEL_LABELS } from '../../../common/tree.js';
import {
  MAX_REPORT_FIELDS,
  REPORT_AGGREGATIONS,
  REPORT_AGGREGATION_LABELS,
  REPORT_FIELD_TYPES,
  REPORT_FIELD_TYPE_LABELS,
  REPORT_TARGET_LEVELS,
} from '../../../common/contracts/reports.js';
import { useCommands } from '../../api/command.js';
import { useCreateTemplate, type CreateTemplateInput, type ReportTemplate } from '../../api/reports.js';
import { NodeTreeSelect } from '../../app/components/NodeTreeSelect.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { useLabel } from '../../app/format.js';
import { useJurisdiction } from '../../app/jurisdiction.js';

interface FieldRow {
  code: string;
  labelZh: string;
  labelEn: string;
  type: (typeof REPORT_FIELD_TYPES)[number];
  aggregation: (typeof REPORT_AGGREGATIONS)[number];
  required?: boolean;
  choices?: string;
}
interface Values {
  title: string;
  nodeId: number;
  commandId?: number;
  targetLevel: (typeof REPORT_TARGET_LEVELS)[number];
  dueTime: Dayjs;
  startDay: Dayjs;
  endDay?: Dayjs;
  fields: FieldRow[];
}
const TOP_FIELDS = ['title', 'nodeId', 'commandId', 'targetLevel', 'dueTime', 'startDay', 'endDay'];

export function CreateTemplateModal({
  open,
  defaultCommand,
  onClose,
  onCreated,
}: {
  open: boolean;
  defaultCommand?: number | undefined;
  onClose: () => void;
  onCreated: (t: ReportTemplate) => void;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const { message } = App.useApp();
  const { node } = useJurisdiction();
  const [form] = Form.useForm<Values>();
  const create = useCreateTemplate();
  const commands = useCommands('true');
  const onError = useFormErrorHandler();

  const submit = (v: Values) => {
    const body: CreateTemplateInput = {
      title: v.title,
      nodeId: v.nodeId,
      ...(v.commandId ? { commandId: v.commandId } : {}),
      targetLevel: v.targetLevel,
      dueTime: v.dueTime.format('HH:mm'),
      startDay: v.startDay.format('YYYY-MM-DD'),
      ...(v.endDay ? { endDay: v.endDay.format('YYYY-MM-DD') } : {}),
      fields: v.fields.map((f) => ({
        code: f.code,
        labelZh: f.labelZh,
        labelEn: f.labelEn,
        type: f.type,
        aggregation: f.aggregation,
        required: Boolean(f.required),
        ...(f.type === 'choice'
          ? {
              choices: (f.choices ?? '')
                .split(/[,，、]/)
                .map((c) => c.trim())
                .filter(Boolean),
            }
          : {}),
      })),
    };
    // Field issues arrive as fields.<i>.<name>: the Form.List names are the same paths.
    const fieldNames = v.fields.flatMap((_, i) =>
      ['code', 'labelZh', 'labelEn', 'type', 'aggregation', 'choices'].map((n) => `fields.${i}.${n}`),
    );
    create.mutate(body, {
      onSuccess: (tpl) => {
        void message.success(t('reports.created'));
        form.resetFields();
        onCreated(tpl);
      },
      onError: (e) => onError(e, form, [...TOP_FIELDS, ...fieldNames]),
    });
  };

  return (
    <Modal
      open={open}
      title={t('reports.createTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      width={900}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'report-create-ok' }}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          nodeId: node?.id,
          commandId: defaultCommand,
          targetLevel: 'village',
          dueTime: dayjs('17:00', 'HH:mm'),
          startDay: dayjs(),
          fields: [
            {
              code: 'screened',
              labelZh: '排查人数',
              labelEn: 'People screened',
              type: 'integer',
              aggregation: 'sum',
              required: true,
            },
          ],
        }}
      >
        <Form.Item name="title" label={t('reports.titleLabel')} rules={[{ required: true }]}>
          <Input maxLength={100} data-testid="report-title" />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name="nodeId" label={t('reports.node')} rules={[{ required: true }]}>
            <NodeTreeSelect style={{ width: 240 }} valueLabel={node?.name} />
          </Form.Item>
          <Form.Item name="targetLevel" label={t('reports.targetLevel')} rules={[{ required: true }]}>
            <Select
              style={{ width: 140 }}
              options={REPORT_TARGET_LEVELS.map((l) => ({ value: l, label: label(LEVEL_LABELS[l]) }))}
            />
          </Form.Item>
          <Form.Item name="dueTime" label={t('reports.dueTime')} rules={[{ required: true }]}>
            <TimePicker format="HH:mm" minuteStep={5} />
          </Form.Item>
          <Form.Item name="startDay" label={t('reports.startDay')} rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="endDay" label={t('reports.endDay')}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="commandId" label={t('reports.commandId')}>
            <Select
              style={{ width: 320 }}
              popupMatchSelectWidth={false}
              allowClear
              placeholder={t('reports.noCommand')}
              loading={commands.isLoading}
              options={(commands.data?.items ?? []).map((c) => ({
                value: c.id,
                label: `${c.name}（${c.node.name}）`,
              }))}
              data-testid="report-command"
            />
          </Form.Item>
        </Space>
        <Form.List name="fields">
          {(items, { add, remove }) => (
            <>
              <div style={{ fontWeight: 500, marginBottom: 8 }}>{t('reports.fields')}</div>
              {items.map(({ key, name }) => (
                <Space key={key} wrap align="start" data-testid={`report-field-${name}`}>
                  <Form.Item
                    name={[name, 'code']}
                    rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{0,39}$/ }]}
                  >
                    <Input placeholder={t('reports.fieldCode')} style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item name={[name, 'labelZh']} rules={[{ required: true }]}>
                    <Input placeholder={t('reports.fieldLabelZh')} style={{ width: 130 }} />
                  </Form.Item>
                  <Form.Item name={[name, 'labelEn']} rules={[{ required: true }]}>
                    <Input placeholder={t('reports.fieldLabelEn')} style={{ width: 150 }} />
                  </Form.Item>
                  <Form.Item name={[name, 'type']} rules={[{ required: true }]}>
                    <Select
                      style={{ width: 100 }}
                      options={REPORT_FIELD_TYPES.map((v) => ({
                        value: v,
                        label: label(REPORT_FIELD_TYPE_LABELS[v]),
                      }))}
                    />
                  </Form.Item>
                  <Form.Item name={[name, 'aggregation']} rules={[{ required: true }]}>
                    <Select
                      style={{ width: 100 }}
                      options={REPORT_AGGREGATIONS.map((v) => ({
                        value: v,
                        label: label(REPORT_AGGREGATION_LABELS[v]),
                      }))}
                    />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate>
                    {() =>
                      form.getFieldValue(['fields', name, 'type']) === 'choice' ? (
                        <Form.Item name={[name, 'choices']} rules={[{ required: true }]}>
                          <Input placeholder={t('reports.choices')} style={{ width: 180 }} />
                        </Form.Item>
                      ) : null
                    }
                  </Form.Item>
                  <Form.Item name={[name, 'required']} valuePropName="checked">
                    <Checkbox>{t('reports.required')}</Checkbox>
                  </Form.Item>
                  <Button onClick={() => remove(name)} disabled={items.length <= 1}>
                    {t('reports.removeField')}
                  </Button>
                </Space>
              ))}
              <Button
                type="dashed"
                onClick={() => add({ type: 'integer', aggregation: 'sum' })}
                disabled={items.length >= MAX_REPORT_FIELDS}
              >
                {t('reports.addField')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
