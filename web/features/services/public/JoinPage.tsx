// /join/:token — signing up as a volunteer through an invitation, without signing in: who they are
// (name, ID number, phone), where they live (a grid or community under the invitation's place, found
// by name), the account to sign in with, their skills, and their consent to be registered, called on
// and have their hours kept. Answers the account's name and a way to sign in.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, ConfigProvider, Form, Input, Result, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { joinByInvitation, useInvitation, type JoinResult, type Skill } from '../../../api/services.js';
import type { PublicPlace } from '../../../api/types.js';
import { ErrorAlert } from '../../../app/components/ErrorAlert.js';
import { LangSwitch } from '../../../app/components/LangSwitch.js';
import { PageSpin } from '../../../app/components/PageSpin.js';
import { LIMITS } from '../../../../common/limits.js';
import { SERVICES_LIMITS } from '../../../../common/contracts/services-codes.js';
import { FINGER_THEME } from '../../public/fingerTheme.js';
import { PlaceSearch, placeTrail } from '../../public/PlaceSearch.js';
import { useIdentityRules, useListFormError } from '../../mediation/forms.js';
import { ProfileFields } from '../ProfileFields.js';
import '../services.css';

interface Values {
  name: string;
  idNumber: string;
  phone: string;
  username: string;
  password: string;
  partyMember: boolean;
  skills: Skill[];
  consent: boolean;
}

export default function JoinPage() {
  const { t } = useTranslation();
  const token = useParams().token ?? '';
  const invitation = useInvitation(token);
  const [form] = Form.useForm<Values>();
  const onError = useListFormError();
  const rules = useIdentityRules();
  const [place, setPlace] = useState<PublicPlace | null>(null);
  const [done, setDone] = useState<JoinResult | null>(null);
  const join = useMutation({
    mutationFn: (v: Values) =>
      joinByInvitation(token, {
        name: v.name.trim(),
        idNumber: v.idNumber.trim(),
        phone: v.phone.trim(),
        nodeId: place?.id ?? 0,
        username: v.username.trim(),
        password: v.password,
        consent: true,
        partyMember: v.partyMember,
        skills: v.skills,
      }),
    onSuccess: setDone,
    onError: (e) => onError(e, form, ['name', 'idNumber', 'phone', 'username', 'password', 'skills']),
  });
  const inv = invitation.data;
  return (
    <ConfigProvider theme={FINGER_THEME}>
      <div className="linli-public">
        <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('services.pub.joinTitle')}
          </Typography.Title>
          <LangSwitch />
        </Space>
        {invitation.isLoading && <PageSpin />}
        {invitation.isError && (
          <Result
            status="warning"
            title={t('services.pub.linkGone')}
            subTitle={t('services.pub.linkGoneHelp')}
            data-testid="join-gone"
          />
        )}
        {done && (
          <Result
            status="success"
            title={t('services.pub.joined')}
            subTitle={
              <span data-testid="join-done">{t('services.pub.joinedText', { username: done.username })}</span>
            }
            extra={
              <Link to="/login" className="linli-link-button" data-testid="join-login">
                {t('services.pub.signIn')}
              </Link>
            }
          />
        )}
        {inv && !done && (
          <Card>
            <Typography.Paragraph>
              {inv.org
                ? t('services.pub.joinIntroOrg', { place: inv.node.name, org: inv.org.name })
                : t('services.pub.joinIntro', { place: inv.node.name })}
            </Typography.Paragraph>
            <Form<Values>
              form={form}
              layout="vertical"
              data-testid="join-form"
              initialValues={{ partyMember: false, skills: [], consent: false }}
              onFinish={(v) => join.mutate(v)}
            >
              <Form.Item
                name="name"
                label={t('services.name')}
                rules={[{ required: true, whitespace: true, max: SERVICES_LIMITS.nameChars }]}
              >
                <Input maxLength={SERVICES_LIMITS.nameChars} autoComplete="name" data-testid="join-name" />
              </Form.Item>
              <Form.Item
                name="idNumber"
                label={t('services.idNumber')}
                rules={[{ required: true, whitespace: true }, rules.idNumber]}
              >
                <Input maxLength={18} autoComplete="off" data-testid="join-id" />
              </Form.Item>
              <Form.Item
                name="phone"
                label={t('services.phone')}
                rules={[{ required: true, whitespace: true }, rules.phone]}
              >
                <Input maxLength={20} inputMode="tel" autoComplete="tel" data-testid="join-phone" />
              </Form.Item>
              <Form.Item
                label={t('services.pub.home')}
                required
                extra={t('services.pub.homeHelp', { place: inv.node.name })}
              >
                <Space orientation="vertical" size={8} style={{ width: '100%' }}>
                  <PlaceSearch onChoose={setPlace} />
                  <Alert
                    role="status"
                    aria-live="polite"
                    showIcon
                    type={place ? 'success' : 'info'}
                    title={place ? placeTrail(place) : t('services.pub.noHome')}
                    data-testid="join-place"
                  />
                </Space>
              </Form.Item>
              <Form.Item
                name="username"
                label={t('services.pub.username')}
                extra={t('services.pub.usernameHelp')}
                rules={[
                  { required: true, whitespace: true, min: 2, max: LIMITS.username },
                  { pattern: /^[A-Za-z0-9_.-]+$/, message: t('services.pub.usernameHelp') },
                ]}
              >
                <Input maxLength={LIMITS.username} autoComplete="username" data-testid="join-username" />
              </Form.Item>
              <Form.Item
                name="password"
                label={t('services.pub.password')}
                rules={[
                  { required: true },
                  { min: LIMITS.passwordMin, message: t('common.passwordMin', { n: LIMITS.passwordMin }) },
                  { max: LIMITS.passwordMax },
                ]}
              >
                <Input.Password autoComplete="new-password" data-testid="join-password" />
              </Form.Item>
              <ProfileFields testId="join" />
              <Form.Item
                name="consent"
                valuePropName="checked"
                rules={[
                  {
                    validator: (_, v: boolean) =>
                      v ? Promise.resolve() : Promise.reject(new Error(t('services.consentNeeded'))),
                  },
                ]}
              >
                <Checkbox className="linli-svc-check" data-testid="join-consent">
                  {t('services.pub.consent')}
                </Checkbox>
              </Form.Item>
              <ErrorAlert error={join.error} style={{ marginBottom: 12 }} />
              <Button
                type="primary"
                htmlType="submit"
                block
                loading={join.isPending}
                disabled={!place}
                data-testid="join-submit"
              >
                {t('services.pub.joinSubmit')}
              </Button>
            </Form>
          </Card>
        )}
      </div>
    </ConfigProvider>
  );
}
