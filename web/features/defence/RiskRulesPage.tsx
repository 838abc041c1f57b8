// /commands/:id/risk-rules — a command's risk rules: its key regions (the region picker), which answers
// make a traveller risky, the fever line, the hours a destination grid has to visit, and how long
// passages are kept after the command closes. Reached from the command's card on the command page.
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { App, Button, Card, Form, InputNumber, Space, Spin, Switch, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useCommands } from '../../api/command.js';
import {
  passageKeys,
  saveRiskRules,
  useRiskRules,
  type RegionView,
  type RiskRulesInput,
} from '../../api/passages.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { formatTime } from '../../app/format.js';
import { RegionMultiPicker } from './RegionPicker.js';

interface Values {
  keyRegions: string[];
  keyRegion14dRisky: boolean;
  caseContactRisky: boolean;
  feverAt: number;
  handoffHours: number;
  retentionDays: number;
}

const FIELDS = [
  'keyRegions',
  'keyRegion14dRisky',
  'caseContactRisky',
  'feverAt',
  'handoffHours',
  'retentionDays',
] as const;

export default function RiskRulesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const onError = useFormErrorHandler();
  const { id } = useParams();
  const commandId = /^\d+$/.test(id ?? '') ? Number(id) : undefined;
  const rules = useRiskRules(commandId);
  const commands = useCommands();
  const command = commands.data?.items.find((c) => c.id === commandId);
  const [form] = Form.useForm<Values>();
  const [known, setKnown] = useState<ReadonlyMap<string, RegionView>>(new Map());

  useEffect(() => {
    if (rules.data) form.setFieldsValue(rules.data);
  }, [rules.data, form]);

  const save = useMutation({
    mutationFn: (v: Values) => saveRiskRules(commandId!, v satisfies RiskRulesInput),
    onSuccess: (saved) => {
      qc.setQueryData(passageKeys.riskRules(commandId!), saved);
      void message.success(t('riskRules.saved'));
    },
    onError: (e) => onError(e, form, FIELDS),
  });

  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('riskRules.title', { name: command?.name ?? `#${commandId ?? ''}` })}</h1>
        <Button onClick={() => void navigate('/command')}>{t('riskRules.back')}</Button>
      </div>
      {rules.isError && <ErrorAlert error={rules.error} />}
      {rules.isLoading && <Spin />}
      {rules.data && (
        <Card size="small" style={{ maxWidth: 640 }}>
          <Form<Values>
            form={form}
            layout="vertical"
            data-testid="risk-rules-form"
            initialValues={rules.data}
            onFinish={(v) => save.mutate(v)}
          >
            <Form.Item
              name="keyRegions"
              label={t('riskRules.keyRegions')}
              extra={t('riskRules.keyRegionsHint')}
            >
              <RegionMultiPicker known={known} onKnown={(r) => setKnown((m) => new Map(m).set(r.code, r))} />
            </Form.Item>
            <Form.Item
              name="keyRegion14dRisky"
              label={t('riskRules.keyRegion14dRisky')}
              valuePropName="checked"
            >
              <Switch data-testid="risk-rules-key-region-14d" />
            </Form.Item>
            <Form.Item
              name="caseContactRisky"
              label={t('riskRules.caseContactRisky')}
              valuePropName="checked"
            >
              <Switch data-testid="risk-rules-case-contact" />
            </Form.Item>
            <Space wrap size={16}>
              <Form.Item name="feverAt" label={t('riskRules.feverAt')} rules={[{ required: true }]}>
                <InputNumber<number>
                  data-testid="risk-rules-fever"
                  min={36}
                  max={42}
                  step={0.1}
                  precision={1}
                  inputMode="decimal"
                  size="large"
                />
              </Form.Item>
              <Form.Item name="handoffHours" label={t('riskRules.handoffHours')} rules={[{ required: true }]}>
                <InputNumber<number>
                  data-testid="risk-rules-handoff-hours"
                  min={1}
                  max={168}
                  precision={0}
                  inputMode="numeric"
                  size="large"
                />
              </Form.Item>
              <Form.Item
                name="retentionDays"
                label={t('riskRules.retentionDays')}
                rules={[{ required: true }]}
              >
                <InputNumber<number>
                  data-testid="risk-rules-retention"
                  min={1}
                  max={3650}
                  precision={0}
                  inputMode="numeric"
                  size="large"
                />
              </Form.Item>
            </Space>
            <Typography.Paragraph type="secondary">
              {t('riskRules.updatedAt', { at: formatTime(rules.data.updatedAt) })}
            </Typography.Paragraph>
            <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="risk-rules-save">
              {t('common.save')}
            </Button>
          </Form>
        </Card>
      )}
    </div>
  );
}
