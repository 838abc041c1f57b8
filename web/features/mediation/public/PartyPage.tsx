// /m/:token — a party's own page, through the link the mediator (or the application) gave them: the
// case's state, the others by name only, the sessions, and the messages they may read. While the case
// is received they say whether they are willing to mediate; while it is open they write to the mediator
// (in a family case's caucus, only the mediator reads it).
import { useParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  ConfigProvider,
  Form,
  Input,
  Popconfirm,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client.js';
import { mediationKeys, partyConsent, partyMessage, usePartyCase } from '../../../api/mediation.js';
import { ErrorAlert } from '../../../app/components/ErrorAlert.js';
import { LangSwitch } from '../../../app/components/LangSwitch.js';
import { PageSpin } from '../../../app/components/PageSpin.js';
import { MEDIATION_LIMITS, OPEN_CASE_STATES } from '../../../../common/contracts/mediation-codes.js';
import { FINGER_THEME } from '../../public/fingerTheme.js';
import { formatMinute } from '../dates.js';
import { CaseStateTag, ConsentTag } from '../labels.js';
import { MessageItem } from '../MessageItem.js';
import { MediatorProfileLink } from './MediatorProfile.js';
import '../mediation.css';

export default function PartyPage() {
  const { t } = useTranslation();
  const token = useParams().token ?? '';
  const qc = useQueryClient();
  const query = usePartyCase(token);
  const v = query.data;
  const [online, setOnline] = useState(true);
  const [form] = Form.useForm<{ body: string }>();
  const put = (r: NonNullable<typeof v>) => qc.setQueryData(mediationKeys.party(token), r);
  const consent = useMutation({
    mutationFn: (answer: 'yes' | 'no') => partyConsent(token, { consent: answer, online }),
    onSuccess: put,
  });
  const send = useMutation({
    mutationFn: (body: string) => partyMessage(token, body.trim()),
    // The answer is the new message: the party's page is refetched to show it with the others.
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: mediationKeys.party(token) });
      form.resetFields();
    },
  });
  const gone = query.isError && isApiError(query.error) && [400, 404].includes(query.error.status);
  return (
    <ConfigProvider theme={FINGER_THEME}>
      <div className="linli-public">
        <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('mediation.pub.partyTitle')}
          </Typography.Title>
          <LangSwitch />
        </Space>
        {gone && (
          <Alert
            type="warning"
            showIcon
            role="status"
            title={t('mediation.pub.linkGone')}
            description={t('mediation.pub.linkGoneHelp')}
            data-testid="party-gone"
          />
        )}
        {query.isError && !gone && <ErrorAlert error={query.error} />}
        {query.isLoading && <PageSpin />}
        {v && (
          <div className="linli-mediation-cards" data-testid="party-page">
            <Card size="small">
              <p style={{ marginTop: 0 }}>
                <strong data-testid="party-dossier">{v.dossierNo}</strong> <CaseStateTag status={v.status} />{' '}
                {v.caucus && <Tag color="orange">{t('mediation.caucus')}</Tag>}
              </p>
              <p>{t(`mediation.type.${v.disputeType}`)}</p>
              <p>
                {t('mediation.pub.youAre', {
                  name: v.you.name,
                  side: t(`mediation.sideLabel.${v.you.side}`),
                })}{' '}
                <ConsentTag consent={v.you.consent} />
              </p>
              {v.mediator && <MediatorProfileLink mediator={v.mediator} />}
              <p className="linli-muted" style={{ marginBottom: 0 }}>
                {(['applicant', 'respondent'] as const).map((side) => {
                  const names = v.others.filter((o) => o.side === side).map((o) => o.name);
                  return names.length > 0 ? (
                    <span key={side} style={{ display: 'block' }}>
                      {t(`mediation.sideLabel.${side}`)}：{names.join('、')}
                    </span>
                  ) : null;
                })}
              </p>
            </Card>
            {v.status === 'received' && (
              <Card size="small" title={t('mediation.pub.consentTitle')} data-testid="party-consent">
                <Typography.Paragraph>{t('mediation.pub.consentText')}</Typography.Paragraph>
                <Checkbox
                  className="linli-med-check"
                  checked={online}
                  onChange={(e) => setOnline(e.target.checked)}
                >
                  {t('mediation.pub.online')}
                </Checkbox>
                {consent.isError && <ErrorAlert error={consent.error} style={{ margin: '8px 0' }} />}
                <div className="linli-med-actions" style={{ marginTop: 8 }}>
                  <Button
                    type="primary"
                    loading={consent.isPending && consent.variables === 'yes'}
                    disabled={v.you.consent === 'yes'}
                    onClick={() => consent.mutate('yes')}
                    data-testid="party-consent-yes"
                  >
                    {t('mediation.pub.willing')}
                  </Button>
                  <Popconfirm
                    title={t('mediation.pub.unwillingConfirm')}
                    onConfirm={() => consent.mutate('no')}
                  >
                    <Button
                      danger
                      loading={consent.isPending && consent.variables === 'no'}
                      data-testid="party-consent-no"
                    >
                      {t('mediation.pub.unwilling')}
                    </Button>
                  </Popconfirm>
                </div>
              </Card>
            )}
            <Card size="small" title={t('mediation.sessions')} data-testid="party-sessions">
              {v.sessions.length === 0 && <p className="linli-muted">{t('mediation.pub.noSessions')}</p>}
              <ul className="linli-med-rows">
                {v.sessions.map((s) => (
                  <li key={s.id}>
                    <span className="linli-med-grow">
                      <strong>{formatMinute(s.startsAt)}</strong> {t(`mediation.mode.${s.mode}`)} ·{' '}
                      {t(`mediation.sessionKindLabel.${s.kind}`)} · {t(`mediation.sessionStatus.${s.status}`)}
                      {s.point && <div className="linli-muted">{s.point.name}</div>}
                      {s.meetingLink && (
                        <div>
                          <a
                            href={s.meetingLink}
                            target="_blank"
                            rel="noopener noreferrer"
                            className="linli-med-hash"
                          >
                            {t('mediation.pub.joinVideo')}
                          </a>
                        </div>
                      )}
                    </span>
                  </li>
                ))}
              </ul>
            </Card>
            <Card size="small" title={t('mediation.messages')} data-testid="party-messages">
              {v.caucus && (
                <Alert
                  type="info"
                  showIcon
                  style={{ marginBottom: 8 }}
                  title={t('mediation.pub.caucusNote')}
                />
              )}
              {v.messages.length === 0 && <p className="linli-muted">{t('mediation.noMessages')}</p>}
              <ul className="linli-med-messages" aria-live="polite">
                {v.messages.map((m) => (
                  <MessageItem key={m.id} m={m} mediatorView={false} />
                ))}
              </ul>
              {OPEN_CASE_STATES.includes(v.status) && (
                <Form form={form} layout="vertical" onFinish={(x) => send.mutate(x.body)}>
                  <Form.Item
                    name="body"
                    label={t('mediation.pub.writeToMediator')}
                    rules={[{ required: true, whitespace: true, max: MEDIATION_LIMITS.messageChars }]}
                  >
                    <Input.TextArea
                      data-testid="party-message"
                      autoSize={{ minRows: 2, maxRows: 6 }}
                      maxLength={MEDIATION_LIMITS.messageChars}
                    />
                  </Form.Item>
                  {send.isError && <ErrorAlert error={send.error} style={{ marginBottom: 8 }} />}
                  <Button
                    type="primary"
                    htmlType="submit"
                    loading={send.isPending}
                    block
                    data-testid="party-send"
                  >
                    {t('mediation.send')}
                  </Button>
                </Form>
              )}
            </Card>
          </div>
        )}
      </div>
    </ConfigProvider>
  );
}
