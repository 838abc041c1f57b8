// /mediate — a resident applies for mediation without signing in: where (a place found by name), what
// kind of dispute, what happened and what they ask, who they are (name, ID number, phone: the mediator
// calls back and checks them when signing), who the other side is. Answers the dossier number and the
// applicant's own link to follow the case (/m/<token>), shown once.
import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  ConfigProvider,
  Form,
  Input,
  Result,
  Select,
  Space,
  Typography,
} from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { applyForMediation, partyPageUrl, type ApplicationResult } from '../../../api/mediation.js';
import type { PublicPlace } from '../../../api/types.js';
import { LangSwitch } from '../../../app/components/LangSwitch.js';
import {
  DISPUTE_TYPES,
  MEDIATION_LIMITS,
  PARTY_KINDS,
  type DisputeType,
  type PartyKind,
} from '../../../../common/contracts/mediation-codes.js';
import { FINGER_THEME } from '../../public/fingerTheme.js';
import { PlaceSearch, placeTrail } from '../../public/PlaceSearch.js';
import { useIdentityRules, useListFormError } from '../forms.js';
import '../mediation.css';

interface Values {
  disputeType?: DisputeType;
  facts: string;
  claims: string;
  applicant: { name: string; idNumber: string; phone: string };
  respondents: { kind: PartyKind; name?: string; idNumber?: string; phone?: string }[];
  online: boolean;
}

export default function ApplyPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const onError = useListFormError();
  const rules = useIdentityRules();
  const [place, setPlace] = useState<PublicPlace | null>(null);
  const [done, setDone] = useState<ApplicationResult | null>(null);
  const respondentKinds = Form.useWatch('respondents', form);
  const submit = useMutation({
    mutationFn: (v: Values) =>
      applyForMediation({
        nodeId: place?.id ?? 0,
        disputeType: v.disputeType ?? 'other',
        facts: v.facts.trim(),
        claims: v.claims.trim(),
        applicant: {
          name: v.applicant.name.trim(),
          idNumber: v.applicant.idNumber.trim(),
          phone: v.applicant.phone.trim(),
          agent: null,
        },
        respondents: v.respondents.map((r) => ({
          kind: r.kind,
          name: (r.name ?? '').trim(),
          // A person's ID number lets them sign the agreement through their link later on.
          idNumber: r.kind === 'person' && r.idNumber?.trim() ? r.idNumber.trim() : null,
          phone: r.phone?.trim() ? r.phone.trim() : null,
        })),
        online: v.online,
      }),
    onSuccess: setDone,
    onError: (e) =>
      onError(e, form, ['disputeType', 'facts', 'claims', 'applicant', 'respondents', 'online']),
  });
  return (
    <ConfigProvider theme={FINGER_THEME}>
      <div className="linli-public">
        <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('mediation.pub.applyTitle')}
          </Typography.Title>
          <LangSwitch />
        </Space>
        {done ? (
          <Result
            status="success"
            title={t('mediation.pub.applied')}
            subTitle={
              <span>
                {t('mediation.pub.dossier')}{' '}
                <Typography.Text strong copyable className="linli-mono" data-testid="apply-dossier">
                  {done.dossierNo}
                </Typography.Text>
              </span>
            }
            extra={
              <div style={{ textAlign: 'start' }}>
                <Alert
                  type="warning"
                  showIcon
                  title={t('mediation.pub.keepLink')}
                  style={{ marginBottom: 12 }}
                />
                <Typography.Paragraph
                  copyable={{ text: partyPageUrl(done.partyToken) }}
                  className="linli-med-hash"
                  data-testid="apply-link"
                >
                  {partyPageUrl(done.partyToken)}
                </Typography.Paragraph>
                <Link to={`/m/${done.partyToken}`}>
                  <Button type="primary" block>
                    {t('mediation.pub.openMyPage')}
                  </Button>
                </Link>
              </div>
            }
          />
        ) : (
          <Card>
            <Typography.Paragraph type="secondary">{t('mediation.pub.applyIntro')}</Typography.Paragraph>
            <Form<Values>
              form={form}
              layout="vertical"
              data-testid="apply-form"
              initialValues={{ respondents: [{ kind: 'person' }], online: true }}
              onFinish={(v) => submit.mutate(v)}
            >
              <Form.Item label={t('mediation.pub.where')} required>
                <Space orientation="vertical" size={8} style={{ width: '100%' }}>
                  <PlaceSearch onChoose={setPlace} />
                  <Alert
                    role="status"
                    aria-live="polite"
                    showIcon
                    type={place ? 'success' : 'info'}
                    title={
                      place
                        ? t('mediation.pub.goesTo', { place: placeTrail(place) })
                        : t('mediation.pub.noPlace')
                    }
                    data-testid="apply-place"
                  />
                </Space>
              </Form.Item>
              <Form.Item name="disputeType" label={t('mediation.disputeType')} rules={[{ required: true }]}>
                <Select
                  data-testid="apply-type"
                  placeholder={t('mediation.chooseType')}
                  options={DISPUTE_TYPES.map((d) => ({ value: d, label: t(`mediation.type.${d}`) }))}
                />
              </Form.Item>
              <Form.Item
                name="facts"
                label={t('mediation.pub.facts')}
                rules={[{ required: true, whitespace: true, max: MEDIATION_LIMITS.textChars }]}
              >
                <Input.TextArea data-testid="apply-facts" autoSize={{ minRows: 4, maxRows: 10 }} />
              </Form.Item>
              <Form.Item
                name="claims"
                label={t('mediation.pub.claims')}
                rules={[{ required: true, whitespace: true, max: MEDIATION_LIMITS.textChars }]}
              >
                <Input.TextArea data-testid="apply-claims" autoSize={{ minRows: 2, maxRows: 8 }} />
              </Form.Item>
              <h2 style={{ fontSize: 16 }}>{t('mediation.pub.you')}</h2>
              <Form.Item
                name={['applicant', 'name']}
                label={t('mediation.pub.yourName')}
                rules={[{ required: true, whitespace: true, max: MEDIATION_LIMITS.nameChars }]}
              >
                <Input data-testid="apply-name" maxLength={MEDIATION_LIMITS.nameChars} autoComplete="name" />
              </Form.Item>
              <Form.Item
                name={['applicant', 'idNumber']}
                label={t('mediation.idNumber')}
                extra={t('mediation.pub.idHelp')}
                rules={[{ required: true, whitespace: true }, rules.idNumber]}
              >
                <Input data-testid="apply-id" maxLength={18} autoComplete="off" />
              </Form.Item>
              <Form.Item
                name={['applicant', 'phone']}
                label={t('mediation.phone')}
                rules={[{ required: true, whitespace: true }, rules.phone]}
              >
                <Input data-testid="apply-phone" maxLength={20} inputMode="tel" autoComplete="tel" />
              </Form.Item>
              <h2 style={{ fontSize: 16 }}>{t('mediation.pub.otherSide')}</h2>
              <Form.List name="respondents">
                {(fields, { add, remove }) => (
                  <>
                    {fields.map((f, i) => (
                      <div key={f.key} className="linli-med-entry" data-testid={`respondent-${i}`}>
                        <div className="linli-med-entry-head">
                          <strong>{t('mediation.pub.respondentN', { n: i + 1 })}</strong>
                          <Button
                            type="text"
                            danger
                            icon={<DeleteOutlined />}
                            aria-label={t('mediation.pub.removeRespondent', { n: i + 1 })}
                            disabled={fields.length <= 1}
                            onClick={() => remove(f.name)}
                          />
                        </div>
                        <div className="linli-med-entry-fields">
                          <Form.Item name={[f.name, 'kind']} label={t('mediation.kind')}>
                            <Select
                              options={PARTY_KINDS.map((k) => ({
                                value: k,
                                label: t(`mediation.kindLabel.${k}`),
                              }))}
                            />
                          </Form.Item>
                          <Form.Item
                            name={[f.name, 'name']}
                            label={t('mediation.partyName')}
                            rules={[{ required: true, whitespace: true, max: MEDIATION_LIMITS.nameChars }]}
                          >
                            <Input
                              data-testid={`respondent-name-${i}`}
                              maxLength={MEDIATION_LIMITS.nameChars}
                            />
                          </Form.Item>
                          {respondentKinds?.[i]?.kind !== 'org' && (
                            <Form.Item
                              name={[f.name, 'idNumber']}
                              label={t('mediation.idNumber')}
                              extra={t('mediation.pub.idHelp')}
                              rules={[rules.idNumber]}
                            >
                              <Input data-testid={`respondent-id-${i}`} maxLength={18} autoComplete="off" />
                            </Form.Item>
                          )}
                          <Form.Item
                            name={[f.name, 'phone']}
                            label={t('mediation.pub.theirPhone')}
                            rules={[rules.phone]}
                          >
                            <Input maxLength={20} inputMode="tel" autoComplete="off" />
                          </Form.Item>
                        </div>
                      </div>
                    ))}
                    <Button
                      onClick={() => add({ kind: 'person' })}
                      disabled={fields.length >= 20}
                      style={{ marginBottom: 16 }}
                    >
                      {t('mediation.pub.addRespondent')}
                    </Button>
                  </>
                )}
              </Form.List>
              <Form.Item name="online" valuePropName="checked" extra={t('mediation.pub.onlineHelp')}>
                <Checkbox className="linli-med-check" data-testid="apply-online">
                  {t('mediation.pub.online')}
                </Checkbox>
              </Form.Item>
              <Typography.Paragraph type="secondary">{t('mediation.pub.consentNote')}</Typography.Paragraph>
              <Button
                type="primary"
                htmlType="submit"
                block
                loading={submit.isPending}
                disabled={!place}
                data-testid="apply-submit"
              >
                {t('mediation.pub.submit')}
              </Button>
            </Form>
          </Card>
        )}
      </div>
    </ConfigProvider>
  );
}
