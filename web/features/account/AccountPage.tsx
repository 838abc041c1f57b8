// /account — change password, two-factor (TOTP), API keys.
import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Modal,
  QRCode,
  Space,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  ME_KEY,
  apiKeyKeys,
  changePassword,
  createApiKey,
  revokeApiKey,
  setTotp,
  startTotpSetup,
  useApiKeys,
} from '../../api/accounts.js';
import type { ApiKeyInfo, CreatedApiKey, TotpSetup } from '../../api/types.js';
import { useAuth } from '../../app/auth.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { formatTime, useRoleName } from '../../app/format.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { AllPages } from '../../app/components/AllPages.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';
import { useIsPhone } from '../../app/useIsPhone.js';
import { LIMITS } from '../../../common/limits.js';

interface PasswordValues {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

function PasswordCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<PasswordValues>();
  const onError = useFormErrorHandler();
  const change = useMutation({
    mutationFn: (v: PasswordValues) =>
      changePassword({ currentPassword: v.currentPassword, newPassword: v.newPassword }),
    onSuccess: () => {
      form.resetFields();
      void message.success(t('account.passwordChanged'));
    },
    onError: (e) => onError(e, form, ['currentPassword', 'newPassword']),
  });
  return (
    <Card title={t('account.changePassword')} size="small">
      <Form<PasswordValues>
        form={form}
        layout="vertical"
        onFinish={(v) => change.mutate(v)}
        style={{ maxWidth: 420 }}
      >
        <Form.Item
          name="currentPassword"
          label={t('account.currentPassword')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input.Password
            data-testid="account-current-password"
            autoComplete="current-password"
            maxLength={LIMITS.passwordMax}
          />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('account.newPassword')}
          rules={[
            { required: true, message: t('common.required') },
            { min: LIMITS.passwordMin, message: t('common.passwordMin', { n: LIMITS.passwordMin }) },
          ]}
        >
          <Input.Password
            data-testid="account-new-password"
            autoComplete="new-password"
            maxLength={LIMITS.passwordMax}
          />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('account.confirmPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('common.required') },
            ({ getFieldValue }) => ({
              validator: (_r, v) =>
                !v || getFieldValue('newPassword') === v
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('account.passwordMismatch'))),
            }),
          ]}
        >
          <Input.Password
            data-testid="account-confirm-password"
            autoComplete="new-password"
            maxLength={LIMITS.passwordMax}
          />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          loading={change.isPending}
          data-testid="account-password-submit"
        >
          {t('account.changePassword')}
        </Button>
      </Form>
    </Card>
  );
}

const codeRules = (t: (k: 'common.required' | 'account.totpCodeFormat') => string) => [
  { required: true, message: t('common.required') },
  { pattern: /^\d{6}$/, message: t('account.totpCodeFormat') },
];

function TotpCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me } = useAuth();
  const qc = useQueryClient();
  const onError = useFormErrorHandler();
  const [enableForm] = Form.useForm<{ code: string }>();
  const [disableForm] = Form.useForm<{ code: string }>();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const enabled = me.user.totpEnabled;

  const start = useMutation({
    mutationFn: startTotpSetup,
    onSuccess: (s) => setSetup(s),
    onError: (e) => onError(e),
  });
  const enable = useMutation({
    mutationFn: (v: { code: string }) => setTotp(true, v.code.trim()),
    onSuccess: async () => {
      setSetup(null);
      enableForm.resetFields();
      void message.success(t('account.totpEnabledDone'));
      await qc.invalidateQueries({ queryKey: ME_KEY });
    },
    onError: (e) => onError(e, enableForm, ['code']),
  });
  const disable = useMutation({
    mutationFn: (v: { code: string }) => setTotp(false, v.code.trim()),
    onSuccess: async () => {
      disableForm.resetFields();
      void message.success(t('account.totpDisabledDone'));
      await qc.invalidateQueries({ queryKey: ME_KEY });
    },
    onError: (e) => onError(e, disableForm, ['code']),
  });

  return (
    <Card
      title={t('account.totp')}
      size="small"
      extra={
        <Tag color={enabled ? 'green' : 'default'} data-testid="totp-status">
          {enabled ? t('account.totpOn') : t('account.totpOff')}
        </Tag>
      }
    >
      {enabled ? (
        <Form
          form={disableForm}
          layout="vertical"
          onFinish={(v) => disable.mutate(v)}
          style={{ maxWidth: 420 }}
        >
          <Typography.Paragraph type="secondary">{t('account.totpDisableHelp')}</Typography.Paragraph>
          <Form.Item name="code" label={t('account.totpCode')} rules={codeRules(t)}>
            <Input
              data-testid="totp-disable-code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              style={{ maxWidth: 200 }}
            />
          </Form.Item>
          <Button danger htmlType="submit" loading={disable.isPending} data-testid="totp-disable">
            {t('account.totpDisable')}
          </Button>
        </Form>
      ) : setup ? (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Typography.Paragraph style={{ margin: 0 }}>{t('account.totpScan')}</Typography.Paragraph>
          <QRCode value={setup.otpauthUrl} size={176} data-testid="totp-qr" />
          <div>
            <Typography.Text type="secondary">{t('account.totpSecret')}: </Typography.Text>
            <Typography.Text code copyable data-testid="totp-secret">
              {setup.secret}
            </Typography.Text>
          </div>
          <Form
            form={enableForm}
            layout="vertical"
            onFinish={(v) => enable.mutate(v)}
            style={{ maxWidth: 420 }}
          >
            <Form.Item name="code" label={t('account.totpCode')} rules={codeRules(t)}>
              <Input
                data-testid="totp-code"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                style={{ maxWidth: 200 }}
              />
            </Form.Item>
            <Space wrap>
              <Button type="primary" htmlType="submit" loading={enable.isPending} data-testid="totp-enable">
                {t('account.totpEnable')}
              </Button>
              <Button onClick={() => setSetup(null)}>{t('common.cancel')}</Button>
            </Space>
          </Form>
        </Space>
      ) : (
        <Space orientation="vertical">
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t('account.totpHelp')}
          </Typography.Paragraph>
          <Button
            type="primary"
            onClick={() => start.mutate()}
            loading={start.isPending}
            data-testid="totp-setup"
          >
            {t('account.totpSetup')}
          </Button>
        </Space>
      )}
    </Card>
  );
}

function ApiKeysCard() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const onError = useFormErrorHandler();
  const [form] = Form.useForm<{ name: string }>();
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const keys = useApiKeys();
  const create = useMutation({
    mutationFn: (v: { name: string }) => createApiKey(v.name.trim()),
    onSuccess: async (k) => {
      form.resetFields();
      setCreated(k);
      await qc.invalidateQueries({ queryKey: apiKeyKeys.all });
    },
    onError: (e) => onError(e, form, ['name']),
  });
  const revoke = useMutation({
    mutationFn: revokeApiKey,
    onSuccess: async () => {
      void message.success(t('account.keyRevoked'));
      await qc.invalidateQueries({ queryKey: apiKeyKeys.all });
    },
    onError: (e) => onError(e),
  });

  const columns: TableColumnsType<ApiKeyInfo> = [
    { title: t('account.keyName'), dataIndex: 'name', key: 'name' },
    {
      title: t('account.keyPrefix'),
      dataIndex: 'prefix',
      key: 'prefix',
      render: (v: string) => <Typography.Text code>{v}…</Typography.Text>,
    },
    {
      title: t('account.keyCreated'),
      dataIndex: 'createdAt',
      key: 'createdAt',
      render: (v: string) => formatTime(v),
    },
    {
      title: t('account.keyLastUsed'),
      dataIndex: 'lastUsedAt',
      key: 'lastUsedAt',
      render: (v: string | null) => (v ? formatTime(v) : t('account.never')),
    },
    {
      title: t('users.status'),
      key: 'status',
      render: (_v, k) =>
        k.revokedAt ? (
          <Tag>{`${t('account.keyRevokedAt')} ${formatTime(k.revokedAt)}`}</Tag>
        ) : (
          <Tag color="green">{t('account.keyActive')}</Tag>
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_v, k) =>
        k.revokedAt ? null : (
          <Button
            type="link"
            danger
            size="small"
            data-testid={`api-key-revoke-${k.id}`}
            onClick={() =>
              void modal.confirm({
                title: t('account.revokeConfirm', { name: k.name }),
                okText: t('account.revoke'),
                okButtonProps: { danger: true, 'data-testid': 'api-key-revoke-confirm' },
                cancelText: t('common.cancel'),
                onOk: () => revoke.mutateAsync(k.id).then(() => undefined),
              })
            }
          >
            {t('account.revoke')}
          </Button>
        ),
    },
  ];

  return (
    <Card title={t('account.apiKeys')} size="small">
      <Typography.Paragraph type="secondary">{t('account.apiKeysHelp')}</Typography.Paragraph>
      <Form form={form} layout="inline" className="linli-toolbar" onFinish={(v) => create.mutate(v)}>
        <Form.Item
          name="name"
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          style={{ marginInlineEnd: 0 }}
        >
          <Input
            data-testid="api-key-name"
            aria-label={t('account.keyName')}
            placeholder={t('account.keyName')}
            maxLength={LIMITS.name}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="api-key-create">
          {t('account.keyCreate')}
        </Button>
      </Form>
      {keys.isError && <ErrorAlert error={keys.error} style={{ marginBottom: 12 }} />}
      <ResponsiveTable<ApiKeyInfo>
        data-testid="api-keys-table"
        rowKey="id"
        size="small"
        loading={keys.isPending}
        dataSource={keys.data ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
      />
      <Modal
        open={created !== null}
        title={t('account.keyCreatedTitle')}
        onCancel={() => setCreated(null)}
        footer={
          <Button type="primary" onClick={() => setCreated(null)} data-testid="api-key-done">
            {t('common.done')}
          </Button>
        }
      >
        <Alert type="warning" showIcon title={t('account.keyOnce')} style={{ marginBottom: 12 }} />
        <Typography.Paragraph
          copyable={{ text: created?.key ?? '' }}
          code
          className="linli-key-once"
          data-testid="api-key-secret"
        >
          {created?.key}
        </Typography.Paragraph>
      </Modal>
    </Card>
  );
}

function ProfileCard() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const roleName = useRoleName();
  return (
    <Card title={t('account.profile')} size="small">
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'username', label: t('users.username'), children: me.user.username },
          { key: 'displayName', label: t('users.displayName'), children: me.user.displayName },
          {
            key: 'assignments',
            label: t('users.assignments'),
            children: (
              <Space size={[4, 4]} wrap>
                {me.assignments.map((a) => (
                  <Tag key={a.id} color="blue">
                    {t('users.roleAtNode', { role: roleName(a.role), node: a.node.name })}
                  </Tag>
                ))}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}

export default function AccountPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const isPhone = useIsPhone();
  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('account.title')}</h1>
      </div>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {isPhone && <AllPages />}
        <ProfileCard />
        <PasswordCard />
        {me.via === 'session' && <TotpCard />}
        <ApiKeysCard />
      </Space>
    </div>
  );
}
