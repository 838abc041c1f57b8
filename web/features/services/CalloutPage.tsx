// /callouts/:id — one call-out: what, where, when, how many places are taken; the caller's own sign-up
// with its steps; everyone signed up with their check-in and check-out times (for whoever posted or
// reads it at its place); closing it (those who never came are no-shows) or cancelling it before it
// starts, as its abilities allow.
import { useState } from 'react';
import { useParams } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Popconfirm } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  cancelCallout,
  closeCallout,
  useCallout,
  useServicesRefresh,
  type SignupView,
} from '../../api/services.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { PageSpin } from '../../app/components/PageSpin.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { formatMinute } from '../mediation/dates.js';
import { CalloutActions } from './CalloutActions.js';
import { ReasonModal } from './RequestActions.js';
import {
  CalloutStateTag,
  ServicesBackLink,
  SignupStateTag,
  SignupTimes,
  SkillTags,
  hoursText,
  spanText,
} from './labels.js';
import './services.css';

export default function CalloutPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const id = Number(useParams().id);
  const query = useCallout(id);
  const refresh = useServicesRefresh();
  const onError = useFormErrorHandler();
  const [cancelling, setCancelling] = useState(false);
  const close = useMutation({
    mutationFn: () => closeCallout(id),
    onSuccess: (c) => {
      void message.success(t('services.closedDone'));
      refresh({ callout: c });
    },
    onError: (e) => onError(e),
  });
  const cancel = useMutation({
    mutationFn: (reason: string) => cancelCallout(id, reason),
    onSuccess: (c) => {
      setCancelling(false);
      void message.success(t('services.cancelledDone'));
      refresh({ callout: c });
    },
    onError: (e) => onError(e),
  });
  const c = query.data;
  if (query.isError) return <ErrorAlert error={query.error} />;
  if (!c) return <PageSpin />;
  return (
    <div>
      <div className="linli-page-title">
        <h1 data-testid="callout-title-head">
          {c.title} <CalloutStateTag c={c} />
        </h1>
        <ServicesBackLink />
      </div>
      <div className="linli-svc-cardstack">
        <Card size="small" data-testid="callout-head">
          <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
            <Descriptions.Item label={t('services.when')}>{spanText(c.startsAt, c.endsAt)}</Descriptions.Item>
            <Descriptions.Item label={t('services.meetingPoint')}>{c.meetingPoint}</Descriptions.Item>
            <Descriptions.Item label={t('services.place')}>{c.node.name}</Descriptions.Item>
            <Descriptions.Item label={t('services.signups')}>
              <span data-testid="callout-filled">
                {t('services.filled', { n: c.filled, of: c.capacity })}
              </span>
            </Descriptions.Item>
            {c.shift && (
              <Descriptions.Item label={t('services.checkpoint')}>
                {c.shift.checkpoint.name}
              </Descriptions.Item>
            )}
            {c.org && <Descriptions.Item label={t('services.org')}>{c.org.name}</Descriptions.Item>}
          </Descriptions>
          <SkillTags skills={c.skills} />
          {c.details && <p className="linli-svc-pre">{c.details}</p>}
        </Card>
        {(c.mine || c.abilities.signUp) && (
          <Card size="small" title={t('services.mySignup')} data-testid="callout-mine">
            {c.mine && (
              <p>
                <SignupStateTag status={c.mine.status} />
                <SignupTimes s={c.mine} />
              </p>
            )}
            <CalloutActions c={c} />
          </Card>
        )}
        {c.signups && (
          <Card size="small" title={t('services.signupsTitle')} data-testid="callout-signups">
            <ResponsiveTable<SignupView>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={c.signups}
              locale={{ emptyText: t('services.noSignups') }}
              onRow={(s) =>
                ({ 'data-testid': `signup-row-${s.volunteer.id}` }) as React.HTMLAttributes<HTMLElement>
              }
              columns={[
                {
                  key: 'name',
                  title: t('services.volunteer'),
                  render: (_: unknown, s: SignupView) => s.volunteer.name,
                },
                {
                  key: 'status',
                  title: t('services.status'),
                  render: (_: unknown, s: SignupView) => <SignupStateTag status={s.status} />,
                },
                {
                  key: 'in',
                  title: t('services.checkedInAt'),
                  render: (_: unknown, s: SignupView) => formatMinute(s.checkedInAt) || '—',
                },
                {
                  key: 'out',
                  title: t('services.checkedOutAt'),
                  render: (_: unknown, s: SignupView) => formatMinute(s.checkedOutAt) || '—',
                },
                {
                  key: 'hours',
                  title: t('services.hoursLabel'),
                  render: (_: unknown, s: SignupView) =>
                    s.status === 'done' ? hoursText(s.minutes / 60) : '—',
                },
              ]}
            />
          </Card>
        )}
        {(c.abilities.close || c.abilities.cancel) && (
          <Card size="small" title={t('services.endCallout')}>
            <div className="linli-svc-actions">
              {c.abilities.close && (
                <Popconfirm title={t('services.closeConfirm')} onConfirm={() => close.mutate()}>
                  <Button loading={close.isPending} data-testid="callout-close">
                    {t('services.close')}
                  </Button>
                </Popconfirm>
              )}
              {c.abilities.cancel && (
                <Button danger onClick={() => setCancelling(true)} data-testid="callout-cancel">
                  {t('services.cancelCallout')}
                </Button>
              )}
            </div>
          </Card>
        )}
      </div>
      {cancelling && (
        <ReasonModal
          title={t('services.cancelCallout')}
          pending={cancel.isPending}
          onOk={(reason) => cancel.mutate(reason)}
          onClose={() => setCancelling(false)}
        />
      )}
    </div>
  );
}
