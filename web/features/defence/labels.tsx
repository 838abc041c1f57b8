// Labels of the passages pages in the current language: directions, vehicle types, risk reasons, and a
// form fault (a shared validator's message code, rendered from common/messages, or a page text).
import { useCallback } from 'react';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { renderMessage } from '../../../common/messages/index.js';
import { currentLang } from '../../app/i18n.js';
import type { PassageDirection, RiskReason } from '../../api/passages.js';
import type { Fault } from './passageForm.js';

export { PASSAGE_DIRECTIONS, RISK_REASONS, VEHICLE_TYPES } from '../../../common/contracts/passages.js';

export function useFaultText(): (f: Fault | null | undefined) => string | undefined {
  const { t, i18n } = useTranslation();
  const lang = currentLang(i18n.language);
  return useCallback(
    (f) => {
      if (!f) return undefined;
      if ('text' in f) return f.text === 'server' ? f.message : t(`passages.fault.${f.text}`);
      return renderMessage(f.code, f.params, lang);
    },
    [t, lang],
  );
}

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
