// Labels of the people feature in the current language: residence types, no-ID reasons, tags.
import type { CheckReason } from '../../../common/validators.js';
import { renderMessage } from '../../../common/messages/index.js';
import { currentLang } from '../../app/i18n.js';
import { useCallback, useMemo } from 'react';
import { Space, Tag as AntTag } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  NO_ID_LABELS,
  RESIDENCE_LABELS,
  RESIDENCE_TYPES,
  NO_ID_REASONS,
} from '../../../common/contracts/people.js';
import { useTags, type NoIdReason, type ResidenceType, type Tag } from '../../api/people.js';
import { useLabel } from '../../app/format.js';

export { RESIDENCE_TYPES, NO_ID_REASONS };

export const RESIDENCE_COLORS: Record<ResidenceType, string> = {
  registered: 'blue',
  floating: 'orange',
  returnee: 'purple',
};

export function useResidenceLabel(): (t: ResidenceType) => string {
  const label = useLabel();
  return (t) => label(RESIDENCE_LABELS[t]);
}

export function useNoIdLabel(): (r: NoIdReason) => string {
  const label = useLabel();
  return (r) => label(NO_ID_LABELS[r]);
}

/** A tag's name in the current language, by code; the code itself when the tag is unknown. */
export function useTagName(): { name: (code: string) => string; tags: Tag[] } {
  const label = useLabel();
  const tags = useTags();
  const list = useMemo(() => tags.data ?? [], [tags.data]);
  const name = useCallback(
    (code: string) => {
      const tag = list.find((x) => x.code === code);
      return tag ? label({ zh: tag.nameZh, en: tag.nameEn }) : code;
    },
    [list, label],
  );
  return { name, tags: list };
}

/**
 * The shared validators answer in both languages ("地区码无效 invalid region code"):
 * keep the half for the current language.
 */
/** A check's reason code (common/validators) in the UI's language, from the message registry. */
export function useBilingualReason(): (reason: CheckReason) => string {
  const { i18n } = useTranslation();
  const lang = currentLang(i18n.language);
  return (reason) => renderMessage(reason, undefined, lang);
}

export function ResidenceTag({ type }: { type: ResidenceType }) {
  const residenceLabel = useResidenceLabel();
  return <AntTag color={RESIDENCE_COLORS[type]}>{residenceLabel(type)}</AntTag>;
}

export function PersonTags({ codes }: { codes: string[] }) {
  const { name } = useTagName();
  if (codes.length === 0) return null;
  return (
    <Space size={[0, 4]} wrap>
      {codes.map((c) => (
        <AntTag key={c} data-testid={`person-tag-${c}`}>
          {name(c)}
        </AntTag>
      ))}
    </Space>
  );
}
