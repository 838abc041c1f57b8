// Psychological care's small pieces shared by its pages: the tags of a case's risk and status and of a
// link's state, the clock that ticks an alert's countdown, and an alert's deadline as text.
import { useEffect, useState } from 'react';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CareCaseStatus, CareRiskLevel, LinkState } from '../../api/care.js';
import { countdown } from './model.js';

const RISK_COLOR: Record<CareRiskLevel, string> = {
  low: 'green',
  moderate: 'gold',
  high: 'volcano',
  imminent: 'red',
};
const STATUS_COLOR: Record<CareCaseStatus, string> = {
  open: 'processing',
  referred: 'purple',
  closed: 'default',
};
const LINK_COLOR: Record<LinkState, string> = {
  waiting: 'default',
  started: 'blue',
  submitted: 'green',
  expired: 'orange',
};

export function RiskTag({ risk }: { risk: CareRiskLevel }) {
  const { t } = useTranslation();
  return <Tag color={RISK_COLOR[risk]}>{t(`care.risk.${risk}`)}</Tag>;
}

export function CaseStatusTag({ status }: { status: CareCaseStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status]}>{t(`care.caseStatus.${status}`)}</Tag>;
}

export function LinkStateTag({ state }: { state: LinkState }) {
  const { t } = useTranslation();
  return <Tag color={LINK_COLOR[state]}>{t(`care.linkState.${state}`)}</Tag>;
}

/** The time now, renewed every `ms` while the component shows. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** "12:34 left to acknowledge" / "5:02 past the deadline", ticking; red once late. */
export function AckCountdown({ ackBy, className }: { ackBy: string; className?: string }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const c = countdown(ackBy, now);
  return (
    <span role="timer" className={[className, c.late ? 'linli-overdue' : ''].filter(Boolean).join(' ')}>
      {c.late ? t('care.ackLate', { time: c.text }) : t('care.ackLeft', { time: c.text })}
    </span>
  );
}
