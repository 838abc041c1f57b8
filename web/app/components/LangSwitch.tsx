import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLang, setLang } from '../i18n.js';

/** Toggles zh-CN ⇄ en; the button shows the language it switches to. */
export function LangSwitch() {
  const { t, i18n } = useTranslation();
  const lang = currentLang(i18n.language);
  return (
    <Button
      data-testid="lang-switch"
      aria-label={t('layout.switchLang')}
      title={t('layout.switchLang')}
      onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}
    >
      {t('layout.otherLang')}
    </Button>
  );
}
