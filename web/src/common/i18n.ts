/**
 * The pages' languages: French and English. The interface's own words are in each page's
 * strings file (`web/src/strings/*.ts`, `{ fr, en }` with the same keys: the type checker holds
 * them to it); the election's words (title, candidates, grades) come from the manifest, in the
 * voter's language when the manifest carries it (`manifestLabels`).
 *
 * The language is chosen, first match wins: `?lang=fr|en` in the address; the voter's last
 * choice (localStorage); the browser's languages; the manifest's language; English.
 * @module
 */

/** The languages of the pages' interface. */
export const LANGUAGES = ['fr', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];

/** Each language's name, in itself (for the language switch). */
export const LANGUAGE_NAMES: Record<Lang, string> = { fr: 'Français', en: 'English' };

const STORAGE_KEY = 'mjvote-lang';

function isLang(x: string | null | undefined): x is Lang {
  return x === 'fr' || x === 'en';
}

function stored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: no remembered choice
  }
}

/** The interface language to start with (see the module's comment); `manifestLanguage` last. */
export function initialLanguage(manifestLanguage?: string | null): Lang {
  const q = new URLSearchParams(location.search).get('lang');
  if (isLang(q)) return q;
  const s = stored();
  if (isLang(s)) return s;
  for (const l of navigator.languages ?? [navigator.language]) {
    const primary = l.toLowerCase().split('-')[0];
    if (isLang(primary)) return primary;
  }
  const m = manifestLanguage?.split('-')[0];
  return isLang(m) ? m : 'en';
}

/** Remembers the voter's choice (best effort). */
export function rememberLanguage(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
}

/** A page's strings in both languages: the English keys are the reference. */
export type Strings<T> = { readonly en: T; readonly fr: T };
