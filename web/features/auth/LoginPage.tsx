// Sign in: username + password, and a TOTP code once the server answers auth.totp_required.
import { useState } from 'react';
import { Navigate, useLocation } from 'react-router';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.js';
import { ME_KEY, login as signIn, useMeQuery } from '../../api/accounts.js';
import { setFormErrors } from '../../app/forms.js';
import { useErrorTexts } from '../../app/errors.js';
import { LangSwitch } from '../../app/components/LangSwitch.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { LIMITS } from '../../../common/limits.js';

interface LoginValues {
  username: string;
  password: string;
  totp?: string;
}

const FIELDS = ['username', 'password', 'totp'] as const;

export default function LoginPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<LoginValues>();
  const [needTotp, setNeedTotp] = useState(false);
  const texts = useErrorTexts();
  const qc = useQueryClient();
  const location = useLocation();
  const me = useMeQuery();
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  const login = useMutation({
    mutationFn: (v: LoginValues) =>
      signIn({
        username: v.username.trim(),
        password: v.password,
        ...(needTotp && v.totp ? { totp: v.totp.trim() } : {}),
      }),
    onSuccess: async () => {
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      await qc.refetchQueries({ queryKey: ME_KEY });
    },
    onError: (e) => {
      if (isApiError(e) && e.code === 'auth.totp_required') {
        setNeedTotp(true);
        return;
      }
      setFormErrors(form, e, FIELDS, {}, texts);
    },
  });

  if (me.data) return <Navigate to={from.startsWith('/login') ? '/' : from} replace />;

  const totpPrompt = isApiError(login.error) && login.error.code === 'auth.totp_required';

  return (
    <div className="linli-login">
      <div className="linli-login-lang">
        <LangSwitch />
      </div>
      <Card className="linli-login-card">
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <div className="linli-brand-mark" style={{ width: 48, height: 48, fontSize: 24, borderRadius: 10 }}>
            {t('app.mark')}
          </div>
          <Typography.Title level={3} style={{ margin: '12px 0 4px' }}>
            {t('app.name')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
        </div>
        {login.error && !totpPrompt && <ErrorAlert error={login.error} style={{ marginBottom: 16 }} />}
        {totpPrompt && (
          <Alert type="info" showIcon title={t('login.totpPrompt')} style={{ marginBottom: 16 }} />
        )}
        <Form<LoginValues>
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={(v) => login.mutate(v)}
          disabled={login.isPending}
        >
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[{ required: true, message: t('login.usernameRequired') }]}
          >
            <Input
              data-testid="login-username"
              autoComplete="username"
              maxLength={LIMITS.username}
              autoFocus
            />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input.Password
              data-testid="login-password"
              autoComplete="current-password"
              maxLength={LIMITS.passwordMax}
            />
          </Form.Item>
          {needTotp && (
            <Form.Item
              name="totp"
              label={t('login.totp')}
              rules={[
                { required: true, message: t('login.totpRequired') },
                { pattern: /^\d{6}$/, message: t('account.totpCodeFormat') },
              ]}
            >
              <Input
                data-testid="login-totp"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                autoFocus
              />
            </Form.Item>
          )}
          <Button data-testid="login-submit" type="primary" htmlType="submit" block loading={login.isPending}>
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
