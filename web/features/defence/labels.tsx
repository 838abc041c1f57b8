// The registration form's labels: the contract's lists, and a form fault (a shared validator's message
// code, rendered from common/messages, or a page text). The tags shown in lists are in tags.tsx, which
// carries neither the message registry nor the contract's runtime (my tasks' hand-offs load it).
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { renderMessage } from '../../../common/messages/index.js';
import { currentLang } from '../../app/i18n.js';
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
