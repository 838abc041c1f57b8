// /hearings — 微法庭, the invited mediator's home: the day's cloud hearings at their point (and a judge's
// own bookings), each with its participants; the invited mediator records who attended, having checked
// their IDs on site. A day picker moves through the days.
import { useState } from 'react';
import { Button, Card, Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useHearings } from '../../api/mediation.js';
import { useAuth } from '../../app/auth.js';
import { addDays, shanghaiDay } from './dates.js';
import { BookHearingModal, HearingList } from './Hearings.js';
import './mediation.css';

export default function HearingsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [day, setDay] = useState(shanghaiDay);
  const hearings = useHearings(day);
  const [booking, setBooking] = useState(false);
  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('mediation.hearingsTitle')}</h1>
        {can('hearings.manage') && (
          <Button type="primary" onClick={() => setBooking(true)} data-testid="book-open">
            {t('mediation.bookHearing')}
          </Button>
        )}
      </div>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <Button onClick={() => setDay((d) => addDays(d, -1))} aria-label={t('mediation.dayBefore')}>
            ‹
          </Button>
          <Input
            type="date"
            value={day}
            onChange={(e) => e.target.value && setDay(e.target.value)}
            aria-label={t('mediation.day')}
            data-testid="hearings-day"
            style={{ width: 170 }}
          />
          <Button onClick={() => setDay((d) => addDays(d, 1))} aria-label={t('mediation.dayAfter')}>
            ›
          </Button>
          {day !== shanghaiDay() && (
            <Button onClick={() => setDay(shanghaiDay())}>{t('mediation.today')}</Button>
          )}
        </Space>
      </Card>
      <HearingList items={hearings.data?.items ?? []} loading={hearings.isLoading} error={hearings.error} />
      {booking && <BookHearingModal onClose={() => setBooking(false)} />}
    </div>
  );
}
