// /help — a resident asks for help without signing in: where they live (found by name), who they are
// (name and ID number, checked against the registry there), what they need and any details. Answers
// the request's reference, to quote when they call.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, ConfigProvider, Form, Input, Radio, Result, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { askForHelp, type PublicRequestResult, type RequestKind } from '../../../api/services.js';
import type { PublicPlace } from '../../../api/types.js';
import { ErrorAlert } from '../../../app/components/ErrorAlert.js';
import { LangSwitch } from '../../../app/components/LangSwitch.js';
import { REQUEST_KINDS, SERVICES_LIMITS } from '../../../../common/contracts/services-codes.js';
import { FINGER_THEME } from '../../public/fingerTheme.js';
import { PlaceSearch, placeTrail } from '../../public/PlaceSearch.js';
import { useIdentityRules, useListFormError } from '../../mediation/forms.js';
import '../../mediation/mediation.css';
import '../services.css';

interface Values {
  name: string;
  idNumber: string;
  kind?: RequestKind;
  details?: string;
}

export default function HelpPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const onError = useListFormError();
  const rules = useIdentityRules();
  const [place, setPlace] = useState<PublicPlace | null>(null);
  const [done, setDone] = useState<PublicRequestResult | null>(null);
  const ask = useMutation({
    mutationFn: (v: Values) =>
      askForHelp({
        nodeId: place?.id ?? 0,
        name: v.name.trim(),
        idNumber: v.idNumber.trim(),
        kind: v.kind ?? 'meals',
        details: v.details?.trim() ? v.details.trim() : null,
      }),
    onSuccess: setDone,
    onError: (e) => onError(e, form, ['name', 'idNumber', 'kind', 'details']),
  });
  return (
    <ConfigProvider theme={FINGER_THEME}>
      <div className="linli-public">
        <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('services.pub.helpTitle')}
          </Typography.Title>
          <LangSwitch />
        </Space>
        {done ? (
          <Result
            status="success"
            title={t('services.pub.helpSent')}
            subTitle={
              <span>
                {t('services.pub.reference')}{' '}
                <Typography.Text strong copyable data-testid="help-reference">
                  {done.reference}
                </Typography.Text>
              </span>
            }
            extra={<p>{t('services.pub.helpNext')}</p>}
          />
        ) : (
          <Card>
            <Typography.Paragraph type="secondary">{t('services.pub.helpIntro')}</Typography.Paragraph>
            <Form<Values>
              form={form}
              layout="vertical"
              data-testid="help-form"
              onFinish={(v) => ask.mutate(v)}
            >
              <Form.Item label={t('services.pub.where')} required>
                <Space orientation="vertical" size={8} style={{ width: '100%' }}>
                  <PlaceSearch onChoose={setPlace} />
                  <Alert
                    role="status"
                    aria-live="polite"
                    showIcon
                    type={place ? 'success' : 'info'}
                    title={place ? placeTrail(place) : t('services.pub.noHome')}
                    data-testid="help-place"
                  />
                </Space>
              </Form.Item>
              <Form.Item
                name="name"
                label={t('services.name')}
                rules={[{ required: true, whitespace: true, max: SERVICES_LIMITS.nameChars }]}
              >
                <Input maxLength={SERVICES_LIMITS.nameChars} autoComplete="name" data-testid="help-name" />
              </Form.Item>
              <Form.Item
                name="idNumber"
                label={t('services.idNumber')}
                extra={t('services.pub.idHelp')}
                rules={[{ required: true, whitespace: true }, rules.idNumber]}
              >
                <Input maxLength={18} autoComplete="off" data-testid="help-id" />
              </Form.Item>
              <Form.Item name="kind" label={t('services.pub.what')} rules={[{ required: true }]}>
                <Radio.Group
                  className="linli-med-choices"
                  optionType="button"
                  data-testid="help-kind"
                  options={REQUEST_KINDS.map((k) => ({ value: k, label: t(`services.requestKind.${k}`) }))}
                />
              </Form.Item>
              <Form.Item
                name="details"
                label={t('services.details')}
                rules={[{ max: SERVICES_LIMITS.textChars }]}
              >
                <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} data-testid="help-details" />
              </Form.Item>
              <ErrorAlert error={ask.error} style={{ marginBottom: 12 }} />
              <Button
                type="primary"
                htmlType="submit"
                block
                loading={ask.isPending}
                disabled={!place}
                data-testid="help-submit"
              >
                {t('services.pub.helpSubmit')}
              </Button>
            </Form>
          </Card>
        )}
      </div>
    </ConfigProvider>
  );
}
