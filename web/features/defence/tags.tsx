// The passages' tags in the current language: direction, and risk with its reasons. Light on purpose:
// my tasks' hand-offs load it (no message registry, no contract runtime).
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PassageDirection, RiskReason } from '../../api/passages.js';

export function DirectionTag({ direction }: { direction: PassageDirection }) {
  const { t } = useTranslation();
  return <Tag color={direction === 'in' ? 'blue' : 'purple'}>{t(`passages.direction.${direction}`)}</Tag>;
}

export function RiskTag({ risky, reasons }: { risky: boolean; reasons?: readonly RiskReason[] }) {
  const { t } = useTranslation();
  if (!risky) return null;
  const why = (reasons ?? []).map((r) => t(`passages.reason.${r}`)).join('、');
  return <Tag color="red">{why ? `${t('passages.risky')}：${why}` : t('passages.risky')}</Tag>;
}
