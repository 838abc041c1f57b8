// /track/:code — a resident follows a report by its code: the state reached and the public updates
// only (no names, no phones), and rates it once it is closed.
import { useNavigate, useParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, ConfigProvider, Input, Space, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.js';
import { evaluateEvent, eventKeys, useTracking } from '../../api/events.js';
import { formatTime, useLabel } from '../../app/format.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { LangSwitch } from '../../app/components/LangSwitch.js';
import { StateTag, useEventLabels } from '../events/labels.js';
import { FINGER_THEME } from './fingerTheme.js';

/** A code as a resident may type it (lower case, spaces, dashes) → as issued: LA7K2M9QX3B4. */
const normalise = (code: string) => code.replace(/[\s-]/g, '').toUpperCase();

export default function TrackPage() {
  const { t } = useTranslation();
  const label = useLabel();
  const labels = useEventLabels();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const raw = useParams().code;
  const code = raw ? normalise(raw) : undefined;
  const tracking = useTracking(code);
  const rate = useMutation({
    mutationFn: (satisfied: boolean) => evaluateEvent(code ?? '', { satisfied }),
    onSuccess: (v) => qc.setQueryData(eventKeys.track(code ?? ''), v),
  });
  const v = tracking.data;
  return (
    <ConfigProvider theme={FINGER_THEME}>
      <div className="linli-public">
        <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('public.trackTitle')}
          </Typography.Title>
          <LangSwitch />
        </Space>
        <Input.Search
          data-testid="track-input"
          defaultValue={code}
          placeholder={t('public.codePlaceholder')}
          aria-label={t('public.codeLabel')}
          enterButton={t('public.look')}
          onSearch={(c) => normalise(c) && void navigate(`/track/${encodeURIComponent(normalise(c))}`)}
          style={{ marginBottom: 16 }}
        />
        {tracking.isError && (
          // A code that is no code, or no report's: said kindly, in the page's language, nothing more.
          <Alert
            data-testid="track-not-found"
            role="status"
            type="warning"
            showIcon
            title={
              isApiError(tracking.error) && [400, 404].includes(tracking.error.status)
                ? t('public.codeUnknown')
                : t('public.trackFailed')
            }
            description={
              isApiError(tracking.error) && [400, 404].includes(tracking.error.status)
                ? t('public.codeHelp')
                : undefined
            }
          />
        )}
        {v && (
          <Card
            data-testid="track-result"
            title={label({ zh: v.category.nameZh, en: v.category.nameEn })}
            extra={<StateTag state={v.state} />}
          >
            <Timeline
              items={v.updates.map((u, i) => ({
                key: i,
                children: (
                  <div data-testid={`track-update-${i}`}>
                    {labels.state(u.state)}{' '}
                    <Typography.Text type="secondary">{formatTime(u.at)}</Typography.Text>
                    {u.note && <div>{u.note}</div>}
                  </div>
                ),
              }))}
            />
            {rate.isError && <ErrorAlert error={rate.error} style={{ marginBottom: 8 }} />}
            {v.abilities.evaluate && (
              <Space>
                <Typography.Text>{t('public.rateIt')}</Typography.Text>
                <Button
                  type="primary"
                  data-testid="rate-satisfied"
                  loading={rate.isPending}
                  onClick={() => rate.mutate(true)}
                >
                  {t('public.satisfied')}
                </Button>
                <Button
                  danger
                  data-testid="rate-dissatisfied"
                  loading={rate.isPending}
                  onClick={() => rate.mutate(false)}
                >
                  {t('public.dissatisfied')}
                </Button>
              </Space>
            )}
          </Card>
        )}
      </div>
    </ConfigProvider>
  );
}
