// The sign-in throttles and locks in force (ADR 0008), for a district-level administrator to see and
// lift: a pairing (a username from one address) or a whole address. A list, so it reads on a phone.
import { App, Button, List, Space, Tag, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.js';
import { liftLoginThrottle, throttleKeys, useLoginThrottles } from '../../api/accounts.js';
import type { LoginThrottle } from '../../../common/contracts/accounts.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { formatTime } from '../../app/format.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';

export function LoginThrottles() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const onError = useFormErrorHandler();
  const throttles = useLoginThrottles();
  const lift = useMutation({
    mutationFn: liftLoginThrottle,
    onSuccess: async () => {
      void message.success(t('throttles.lifted'));
      await qc.invalidateQueries({ queryKey: throttleKeys.all });
      await qc.invalidateQueries({ queryKey: ['users'] });
    },
    onError: (e) => onError(e),
  });
  // Below the tree root the list is not the caller's to see: the section stays away.
  if (throttles.isError && isApiError(throttles.error) && throttles.error.status === 403) return null;

  const who = (r: LoginThrottle) =>
    r.kind === 'pairing'
      ? t('throttles.pairingOf', { username: r.username, address: r.address })
      : t('throttles.addressOf', { address: r.address });
  const confirmLift = (r: LoginThrottle) =>
    void modal.confirm({
      title: t('throttles.liftConfirm', { who: who(r) }),
      okText: t('throttles.lift'),
      okButtonProps: { 'data-testid': 'throttle-lift-confirm' },
      cancelText: t('common.cancel'),
      onOk: () => lift.mutateAsync(r.id).then(() => undefined),
    });

  return (
    <section data-testid="login-throttles" style={{ marginTop: 24 }}>
      <h2 style={{ fontSize: 18 }}>{t('throttles.title')}</h2>
      <Typography.Paragraph type="secondary">{t('throttles.hint')}</Typography.Paragraph>
      {throttles.isError && <ErrorAlert error={throttles.error} style={{ marginBottom: 12 }} />}
      <List<LoginThrottle>
        loading={throttles.isPending}
        dataSource={throttles.data ?? []}
        locale={{ emptyText: <Typography.Text type="secondary">{t('throttles.none')}</Typography.Text> }}
        renderItem={(r) => (
          <List.Item
            data-testid={`throttle-${r.id}`}
            actions={[
              <Button
                key="lift"
                data-testid={`throttle-lift-${r.id}`}
                style={{ minHeight: 44 }}
                onClick={() => confirmLift(r)}
              >
                {t('throttles.lift')}
              </Button>,
            ]}
          >
            <Space direction="vertical" size={2} style={{ minWidth: 0 }}>
              <Space size={4} wrap>
                <Tag color={r.kind === 'pairing' ? 'orange' : 'red'}>
                  {r.kind === 'pairing' ? t('throttles.pairing') : t('throttles.address')}
                </Tag>
                <span style={{ overflowWrap: 'anywhere' }}>{who(r)}</span>
              </Space>
              <Typography.Text type="secondary">
                {t('throttles.failures', { count: r.failures })}
                {' · '}
                {r.lockedUntil
                  ? t('throttles.lockedUntil', { time: formatTime(r.lockedUntil) })
                  : t('throttles.waitUntil', { time: formatTime(r.nextAttemptAt) })}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </section>
  );
}
