import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLang, setLang } from '../i18n.js';

/** Toggles zh-CN ⇄ en; the button shows the language it switches to. Its name is that text (EN / 中文),
 * in that language, so what a person sees is what a screen reader or a voice command says. */
export function LangSwitch() {
  const { t, i18n } = useTranslation();
  const lang = currentLang(i18n.language);
  return (
    <Button
      data-testid="lang-switch"
      title={t('layout.switchLang')}
      onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}
    >
      <span lang={lang === 'en' ? 'zh-CN' : 'en'}>{t('layout.otherLang')}</span>
    </Button>
  );
}
