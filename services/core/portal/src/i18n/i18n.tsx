import { createContext, ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { Catalogue, en, MessageKey } from './en';
import { zh } from './zh';

export type Language = 'en-US' | 'zh-CN';
export const languages: { value: Language; label: string }[] = [
  { value: 'en-US', label: 'English' },
  { value: 'zh-CN', label: '简体中文' },
];

const catalogues: Record<Language, Catalogue> = { 'en-US': en, 'zh-CN': zh };
const storageKey = 'harbor-portal-language';

/** Looks a key up in the current language; `language` says which one (absent means English, as in unit tests). */
export type Translate = ((key: MessageKey, vars?: Record<string, string | number>) => string) & { language?: Language };

interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

/** The remembered choice, else the browser's preference, else English. */
function initialLanguage(): Language {
  const saved = localStorage.getItem(storageKey);
  if (saved === 'en-US' || saved === 'zh-CN') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en-US';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(storageKey, next);
    document.documentElement.lang = next;
    setLanguageState(next);
  }, []);
  const t = useMemo<Translate>(() => {
    const translate: Translate = (key, vars) =>
      catalogues[language][key].replace(/\{([a-z]+)\}/gi, (whole, name: string) => String(vars?.[name] ?? whole));
    translate.language = language;
    return translate;
  }, [language]);
  const value = useMemo(() => ({ language, setLanguage, t }), [language, setLanguage, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}
