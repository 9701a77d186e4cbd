import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { ru } from './ru';
import { en } from './en';

export const LANGS = ['ru', 'en'] as const;
export type Lang = (typeof LANGS)[number];
const KEY = 'cityhall:lang';

export function storedLang(): Lang {
  try {
    const v = window.localStorage.getItem(KEY);
    return v === 'en' ? 'en' : 'ru';
  } catch {
    return 'ru';
  }
}

export function initI18n(lang: Lang = storedLang()) {
  if (!i18next.isInitialized) {
    void i18next.use(initReactI18next).init({
      resources: { ru: { translation: ru }, en: { translation: en } },
      lng: lang,
      fallbackLng: 'ru',
      interpolation: { escapeValue: false },
      returnNull: false,
      initAsync: false,
    });
  }
  document.documentElement.lang = i18next.language;
  return i18next;
}

export function setLang(lang: Lang) {
  try {
    window.localStorage.setItem(KEY, lang);
  } catch {
    /* not remembered */
  }
  void i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
}

export default i18next;
