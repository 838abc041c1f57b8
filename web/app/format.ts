// Display helpers: bilingual labels from common/, and times in Asia/Shanghai.
import { useTranslation } from 'react-i18next';
import { LEVEL_LABELS, type Level } from '../../common/tree.js';

export interface Bilingual {
  zh: string;
  en: string;
}

/** Picks the zh or en half of a bilingual label from common/ for the current language. */
export function useLabel(): (l: Bilingual) => string {
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  return (l) => (en ? l.en : l.zh);
}

export function useLevelLabel(): (level: Level) => string {
  const label = useLabel();
  return (level) => label(LEVEL_LABELS[level]);
}

/** A role's name in the current language. */
export function useRoleName(): (r: { nameZh: string; nameEn: string }) => string {
  const label = useLabel();
  return (r) => label({ zh: r.nameZh, en: r.nameEn });
}

const shanghai = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** `YYYY-MM-DD HH:mm:ss` in Asia/Shanghai, whatever the browser's zone. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts: Record<string, string> = {};
  for (const p of shanghai.formatToParts(d)) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

export const LEVEL_COLORS: Record<Level, string> = {
  district: 'red',
  town: 'volcano',
  village: 'gold',
  grid: 'green',
  microgrid: 'cyan',
};
