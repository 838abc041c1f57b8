// /sign/:token — a party signs the agreement through their one-time link: what they sign (the dossier,
// every obligation, the content's SHA-256 printed on each page of the PDF, the PDF itself to read), then
// their name and ID number, which must match the case. A mismatch is said plainly; once signed, done.
import { useParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, ConfigProvider, Form, Input, Result, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client.js';
import { mediationKeys, signByLink, signPdfUrl, useSignPage } from '../../../api/mediation.js';
import { useErrorTexts } from '../../../app/errors.js';
import { ErrorAlert } from '../../../app/components/ErrorAlert.js';
import { LangSwitch } from '../../../app/components/LangSwitch.js';
import { PageSpin } from '../../../app/components/PageSpin.js';
import { MEDIATION_LIMITS } from '../../../../common/contracts/mediation-codes.js';
import { FINGER_THEME } from '../../public/fingerTheme.js';
import { useIdentityRules } from '../forms.js';
import '../mediation.css';

export default function SignPage() {
  const { t } = useTranslation();
  const token = useParams().token ?? '';
  const qc = useQueryClient();
  const texts = useErrorTexts();
  const rules = useIdentityRules();
  const query = useSignPage(token);
  const v = query.data;
  const [form] = Form.useForm<{ name: string; idNumber: string }>();
  const sign = useMutation({
    mutationFn: (x: { name: string; idNumber: string }) =>
      signByLink(token, { name: x.name.trim(), idNumber: x.idNumber.trim() }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: mediationKeys.sign(token) }),
  });
  const gone = query.isError && isApiError(query.error) && [400, 404].includes(query.error.status);
  const signed = v?.signed || sign.isSuccess;
  return (
    <ConfigProvider theme={FINGER_THEME}>
      <div className="linli-public">
        <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('mediation.pub.signTitle')}
          </Typography.Title>
          <LangSwitch />
        </Space>
        {gone && (
          <Alert
            type="warning"
            showIcon
            role="status"
            title={t('mediation.pub.signGone')}
            description={t('mediation.pub.signGoneHelp')}
            data-testid="sign-gone"
          />
        )}
        {query.isError && !gone && <ErrorAlert error={query.error} />}
        {query.isLoading && <PageSpin />}
        {v && signed && (
          <Result
            status="success"
            title={t('mediation.pub.signedTitle')}
            subTitle={t('mediation.pub.signedText', { no: v.dossierNo })}
            data-testid="sign-done"
          />
        )}
        {v && !signed && (
          <div className="linli-mediation-cards" data-testid="sign-page">
            <Card size="small">
              <p style={{ marginTop: 0 }}>
                {t('mediation.pub.signFor', { name: v.name })} · <strong>{v.dossierNo}</strong>
              </p>
              <ol style={{ paddingInlineStart: 20, margin: 0 }} data-testid="sign-obligations">
                {v.obligations.map((o, i) => (
                  <li key={i} className="linli-med-pre" style={{ marginBottom: 6 }}>
                    {t('mediation.pub.obligationLine', {
                      party: o.party,
                      what: o.what,
                      manner: o.manner,
                      deadline: o.deadline,
                    })}
                    {o.amountYuan !== null &&
                      ` (${t('mediation.yuanN', { n: o.amountYuan.toLocaleString() })})`}
                  </li>
                ))}
              </ol>
              <p className="linli-med-hash" style={{ margin: '12px 0 4px' }} data-testid="sign-sha">
                {t('mediation.contentSha')} {v.sha256}
              </p>
              <p className="linli-muted" style={{ marginTop: 0 }}>
                {t('mediation.pub.shaHelp')}
              </p>
              <Button
                href={signPdfUrl(token)}
                target="_blank"
                rel="noopener noreferrer"
                data-testid="sign-pdf"
              >
                {t('mediation.pub.readPdf')}
              </Button>
            </Card>
            {v.status !== 'signing' ? (
              <Alert type="info" showIcon title={t('mediation.pub.signClosed')} data-testid="sign-closed" />
            ) : (
              <Card size="small" title={t('mediation.pub.signHere')}>
                <Typography.Paragraph>{t('mediation.pub.signText')}</Typography.Paragraph>
                {sign.isError && (
                  <Alert
                    type="error"
                    showIcon
                    role="alert"
                    style={{ marginBottom: 12 }}
                    data-testid="sign-error"
                    title={texts.title(sign.error)}
                    description={
                      isApiError(sign.error) && sign.error.code === 'mediation.identity_mismatch'
                        ? t('mediation.pub.mismatchHelp')
                        : undefined
                    }
                  />
                )}
                <Form
                  form={form}
                  layout="vertical"
                  onFinish={(x) => sign.mutate(x)}
                  onValuesChange={() => sign.reset()}
                >
                  <Form.Item
                    name="name"
                    label={t('mediation.pub.yourName')}
                    rules={[{ required: true, whitespace: true, max: MEDIATION_LIMITS.nameChars }]}
                  >
                    <Input
                      data-testid="sign-name"
                      maxLength={MEDIATION_LIMITS.nameChars}
                      autoComplete="name"
                    />
                  </Form.Item>
                  <Form.Item
                    name="idNumber"
                    label={t('mediation.idNumber')}
                    rules={[{ required: true, whitespace: true }, rules.idNumber]}
                  >
                    <Input data-testid="sign-id" maxLength={18} autoComplete="off" />
                  </Form.Item>
                  <Button
                    type="primary"
                    htmlType="submit"
                    block
                    loading={sign.isPending}
                    data-testid="sign-submit"
                  >
                    {t('mediation.pub.signButton')}
                  </Button>
                </Form>
              </Card>
            )}
          </div>
        )}
      </div>
    </ConfigProvider>
  );
}
