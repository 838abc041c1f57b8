// A volunteer's steps on a call-out, as its abilities allow: sign up in one tap (a full call-out says
// so plainly), give the place back, check in and out on site with the phone's position when it gives
// one (null otherwise). Large buttons: this is done standing at a checkpoint.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { App, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.js';
import { currentPlace } from '../../api/defence.js';
import {
  checkInCallout,
  checkOutCallout,
  signUpForCallout,
  useServicesRefresh,
  withdrawFromCallout,
  type CalloutView,
  type Position,
} from '../../api/services.js';
import { useErrorTexts } from '../../app/errors.js';
import { hoursText } from './labels.js';

/** The phone's position within a few seconds, or nulls: a check-in goes without it. */
async function where(): Promise<Position> {
  const p = await currentPlace();
  return { lat: p.lat ?? null, lng: p.lng ?? null };
}

export function CalloutActions({ c }: { c: CalloutView }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const texts = useErrorTexts();
  const refresh = useServicesRefresh();
  const [locating, setLocating] = useState(false);
  const onError = (e: unknown) => {
    refresh();
    // A full call-out answers 409 with its capacity: said in words, not as a failure of the app.
    if (isApiError(e) && e.code === 'services.callout_full')
      void message.warning({ content: t('services.fullMessage', { reason: texts.title(e) }), duration: 6 });
    else void message.error(texts.title(e));
  };
  const signUp = useMutation({
    mutationFn: () => signUpForCallout(c.id),
    onSuccess: () => {
      void message.success(t('services.signedUp'));
      refresh();
    },
    onError,
  });
  const withdraw = useMutation({
    mutationFn: () => withdrawFromCallout(c.id),
    onSuccess: (v) => {
      void message.success(t('services.withdrawn'));
      refresh({ callout: v });
    },
    onError,
  });
  const step = useMutation({
    mutationFn: async (which: 'in' | 'out') => {
      setLocating(true);
      const at = await where().finally(() => setLocating(false));
      return which === 'in' ? checkInCallout(c.id, at) : checkOutCallout(c.id, at);
    },
    onSuccess: (s, which) => {
      void message.success(
        which === 'in'
          ? t('services.checkedInDone')
          : t('services.checkedOutDone', { hours: hoursText(s.minutes / 60) }),
      );
      refresh();
    },
    onError,
  });
  const a = c.abilities;
  if (!a.signUp && !a.withdraw && !a.checkIn && !a.checkOut) return null;
  return (
    <div className="linli-svc-actions">
      {a.signUp && (
        <Button
          type="primary"
          size="large"
          loading={signUp.isPending}
          onClick={() => signUp.mutate()}
          data-testid={`signup-${c.id}`}
        >
          {t('services.signUp')}
        </Button>
      )}
      {a.checkIn && (
        <Button
          type="primary"
          size="large"
          loading={locating || step.isPending}
          onClick={() => step.mutate('in')}
          data-testid={`check-in-${c.id}`}
        >
          {t('services.checkIn')}
        </Button>
      )}
      {a.checkOut && (
        <Button
          type="primary"
          size="large"
          loading={locating || step.isPending}
          onClick={() => step.mutate('out')}
          data-testid={`check-out-${c.id}`}
        >
          {t('services.checkOut')}
        </Button>
      )}
      {a.withdraw && (
        <Button
          size="large"
          loading={withdraw.isPending}
          onClick={() => withdraw.mutate()}
          data-testid={`withdraw-${c.id}`}
        >
          {t('services.withdraw')}
        </Button>
      )}
    </div>
  );
}
