// /shift — 我的值班: the checkpoint staff's home. The shift now, big: where, when, checked in or not,
// one large button to check in or out (with the phone's position when it gives one) and, when the
// window is shut, why; a link to register a passage; the shifts of the coming week, each with a
// swap request to the lead (hand it to a colleague of the same post, or open it up).
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Alert, App, Button, Card, Input, Modal, Radio, Spin, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  currentPlace,
  useCheckIn,
  useCheckOut,
  useCoverage,
  useMyShifts,
  useRequestSwap,
  type MyShift,
} from '../../api/defence.js';
import { formatTime } from '../../app/format.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { useAuth } from '../../app/auth.js';
import './defence.css';

const hhmm = (iso: string) => formatTime(iso).slice(11, 16);
const mmdd = (iso: string) => formatTime(iso).slice(5, 10);

/** "12-07 08:00–16:00" in Shanghai time. */
export function ShiftTime({ s }: { s: { startsAt: string; endsAt: string } }) {
  return (
    <span>
      {mmdd(s.startsAt)} {hhmm(s.startsAt)}–{hhmm(s.endsAt)}
    </span>
  );
}

function DutyTag({ s }: { s: MyShift }) {
  const { t } = useTranslation();
  if (s.checkedOutAt) return <Tag>{t('defence.checkedOut', { at: hhmm(s.checkedOutAt) })}</Tag>;
  if (s.checkedInAt)
    return (
      <Tag color="green" data-testid="shift-checked-in">
        {t('defence.checkedIn', { at: hhmm(s.checkedInAt) })}
      </Tag>
    );
  return <Tag color="orange">{t('defence.notCheckedIn')}</Tag>;
}

function SwapModal({ s, onClose }: { s: MyShift; onClose: () => void }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { message } = App.useApp();
  const swap = useRequestSwap();
  const [to, setTo] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  // Colleagues: the people on this post's roster this week.
  const week = useMemo(() => {
    const from = new Date(Date.parse(s.startsAt) - 7 * 86_400_000).toISOString();
    const until = new Date(Date.parse(s.startsAt) + 7 * 86_400_000).toISOString();
    return { from, to: until };
  }, [s.startsAt]);
  const roster = useCoverage({ checkpointId: s.checkpoint.id, ...week });
  const colleagues = useMemo(() => {
    const seen = new Map<number, string>();
    for (const sh of roster.data?.items ?? [])
      for (const p of sh.people) if (p.userId !== me.user.id) seen.set(p.userId, p.name);
    return [...seen.entries()];
  }, [roster.data, me.user.id]);
  return (
    <Modal
      open
      title={t('defence.swapTitle')}
      onCancel={onClose}
      okText={t('defence.swapSend')}
      okButtonProps={{
        loading: swap.isPending,
        ...({ 'data-testid': 'swap-send' } as Record<string, string>),
      }}
      onOk={() =>
        swap.mutate(
          { shiftId: s.id, toUserId: to, reason: reason.trim() },
          {
            onSuccess: () => {
              void message.success(t('defence.swapSent'));
              onClose();
            },
          },
        )
      }
    >
      <p>
        {s.checkpoint.name} · <ShiftTime s={s} />
      </p>
      <Radio.Group
        value={to ?? 0}
        onChange={(e) => setTo(e.target.value === 0 ? null : (e.target.value as number))}
        className="linli-shift-choices"
      >
        <Radio value={0}>{t('defence.swapOpen')}</Radio>
        {colleagues.map(([id, name]) => (
          <Radio key={id} value={id}>
            {t('defence.swapTo', { name })}
          </Radio>
        ))}
      </Radio.Group>
      {roster.isLoading && <Spin size="small" />}
      <Input.TextArea
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        placeholder={t('defence.swapReason')}
        maxLength={500}
        autoSize={{ minRows: 2 }}
        style={{ marginTop: 12 }}
      />
      <ErrorAlert error={swap.error} style={{ marginTop: 12 }} />
    </Modal>
  );
}

function CurrentShift({ s }: { s: MyShift }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const checkIn = useCheckIn();
  const checkOut = useCheckOut();
  const [locating, setLocating] = useState(false);
  const act = async (which: 'in' | 'out') => {
    setLocating(true);
    const place = await currentPlace();
    setLocating(false);
    const m = which === 'in' ? checkIn : checkOut;
    m.mutate(
      { shiftId: s.id, ...place },
      {
        onSuccess: () =>
          void message.success(t(which === 'in' ? 'defence.checkInDone' : 'defence.checkOutDone')),
      },
    );
  };
  const refusal = s.checkInRefusal;
  return (
    <Card className="linli-shift-now" data-testid="shift-current">
      <div className="linli-shift-label">{t('defence.nowLabel')}</div>
      <div className="linli-shift-place" data-testid="shift-checkpoint">
        {s.checkpoint.name}
      </div>
      <div className="linli-muted">
        {s.checkpoint.node.name} · {t(`defence.type_${s.checkpoint.type}`)} · {t(`defence.role_${s.role}`)}
      </div>
      <div className="linli-shift-time">
        <ShiftTime s={s} />
      </div>
      <DutyTag s={s} />
      {s.canCheckOut ? (
        <Button
          block
          size="large"
          className="linli-shift-button"
          loading={locating || checkOut.isPending}
          onClick={() => void act('out')}
          data-testid="shift-check-out"
        >
          {t('defence.checkOut')}
        </Button>
      ) : (
        !s.checkedOutAt && (
          <Button
            type="primary"
            block
            size="large"
            className="linli-shift-button"
            loading={locating || checkIn.isPending}
            disabled={!s.canCheckIn && refusal?.code === 'shift.checked_in'}
            onClick={() => void act('in')}
            data-testid="shift-check-in"
          >
            {t('defence.checkIn')}
          </Button>
        )
      )}
      {!s.canCheckIn && refusal && refusal.code !== 'shift.checked_in' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 12 }}
          data-testid="shift-window"
          title={t(refusal.code === 'shift.too_early' ? 'defence.tooEarly' : 'defence.tooLate', {
            start: hhmm(s.startsAt),
            opens: hhmm(s.checkInOpensAt),
            closes: hhmm(s.checkInClosesAt),
          })}
        />
      )}
      <ErrorAlert error={checkIn.error ?? checkOut.error} style={{ marginTop: 12 }} />
      <Link
        to="/passages/new"
        className="linli-link-button linli-shift-passage"
        data-testid="shift-register-passage"
      >
        {t('defence.registerPassage')}
      </Link>
    </Card>
  );
}

export default function MyShiftPage() {
  const { t } = useTranslation();
  const mine = useMyShifts();
  const [swapping, setSwapping] = useState<MyShift | null>(null);
  if (mine.isLoading) return <Spin style={{ display: 'block', margin: '48px auto' }} />;
  if (mine.error) return <ErrorAlert error={mine.error} />;
  const { current, upcoming } = mine.data!;
  return (
    <div className="linli-shift-page" data-testid="my-shift">
      <h2 className="linli-shift-title">{t('defence.myShiftTitle')}</h2>
      {current ? (
        <CurrentShift s={current} />
      ) : (
        <Card className="linli-shift-now" data-testid="shift-none">
          <p>{t('defence.noShiftNow')}</p>
          <Link to="/passages/new" className="linli-link-button" data-testid="shift-register-passage">
            {t('defence.registerPassage')}
          </Link>
        </Card>
      )}
      <h3 className="linli-shift-subtitle">{t('defence.upcoming')}</h3>
      {upcoming.length === 0 && <p className="linli-muted">{t('defence.noUpcoming')}</p>}
      {upcoming.map((s) => (
        <Card key={s.id} size="small" className="linli-shift-card" data-testid={`shift-upcoming-${s.id}`}>
          <div className="linli-shift-row">
            <div>
              <div className="linli-shift-card-time">
                <ShiftTime s={s} />
              </div>
              <div className="linli-muted">{s.checkpoint.name}</div>
            </div>
            {s.pendingSwapId !== null ? (
              <Tag color="blue">{t('defence.swapPending')}</Tag>
            ) : (
              <Button
                className="linli-touch"
                onClick={() => setSwapping(s)}
                data-testid={`shift-swap-${s.id}`}
              >
                {t('defence.swap')}
              </Button>
            )}
          </div>
        </Card>
      ))}
      {swapping && <SwapModal s={swapping} onClose={() => setSwapping(null)} />}
    </div>
  );
}
