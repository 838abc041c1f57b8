// i18next with zh-CN as the default and English; the choice is kept in localStorage. Chinese comes
// with the first load; English is fetched when chosen (before the first render when it is the stored
// choice), so a phone on the default language does not download the other one.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { zhCN, type Messages } from './locales/zh-CN.js';

export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];
const STORAGE_KEY = 'linli.lang';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}

function storedLang(): Lang {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    if (v === 'en' || v === 'zh-CN') return v;
  } catch {
    // storage blocked: use the default
  }
  return 'zh-CN';
}

/** Adds a language's texts unless they are in already. */
async function loadLang(lang: Lang): Promise<void> {
  if (lang === 'zh-CN' || i18n.hasResourceBundle(lang, 'translation')) return;
  const { en } = await import('./locales/en.js');
  i18n.addResourceBundle('en', 'translation', en);
}

export function setLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // not persisted
  }
  void loadLang(lang).then(() => i18n.changeLanguage(lang));
}

export function currentLang(lng: string | undefined): Lang {
  return lng === 'en' ? 'en' : 'zh-CN';
}

const initialLang = storedLang();
await i18n.use(initReactI18next).init({
  resources: {
    'zh-CN': { translation: zhCN },
    // The stored choice is in place before anything renders (main.tsx imports this module first).
    ...(initialLang === 'en' ? { en: { translation: (await import('./locales/en.js')).en } } : {}),
  },
  lng: initialLang,
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
});

function syncHtmlLang(lng: string) {
  document.documentElement.lang = currentLang(lng);
}
syncHtmlLang(i18n.language);
i18n.on('languageChanged', syncHtmlLang);

export default i18n;
