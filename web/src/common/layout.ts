/**
 * What every page has around its content: a skip link, the site navigation (vote, ballot box,
 * results, verify) with the current page marked, the language switch, a polite live region
 * (`#status`) for announcements, and the footer. A page calls {@link startPage} once with its
 * render function; switching language calls it again with the new language (the page keeps
 * its state and redraws its current step).
 * @module
 */
import { el, replace } from './dom.js';
import { initialLanguage, LANGUAGE_NAMES, LANGUAGES, rememberLanguage, type Lang } from './i18n.js';
import { COMMON } from '../strings/common.js';

/** The pages, by file name (relative to the site's directory). */
export type PageName = 'vote' | 'board' | 'results' | 'verify';
const PAGE_FILES: Record<PageName, string> = { vote: 'index.html', board: 'board.html', results: 'results.html', verify: 'verify.html' };

export interface PageSetup {
  /** Which page this is (marked in the navigation); omit for a page outside it. */
  readonly page?: PageName;
  /** The document title in `lang` (the site name is appended). */
  readonly title: (lang: Lang) => string;
  /** Draws the page's content into `main` in `lang` (called again on a language switch). */
  readonly render: (lang: Lang, main: HTMLElement) => void;
  /** The manifest's language, once known (a hint after the voter's own choices). */
  readonly manifestLanguage?: string | null;
}

let current: Lang = 'en';

/** The interface language now. */
export function language(): Lang {
  return current;
}

/** Sets up the page and draws it; returns a function that redraws it (after the page's state changed). */
export function startPage(setup: PageSetup): () => void {
  current = initialLanguage(setup.manifestLanguage);
  const header =
    document.getElementById('site-header') ?? document.body.insertBefore(el('header', { id: 'site-header' }), document.body.firstChild);
  const main = document.getElementById('main') as HTMLElement;
  const footer = document.getElementById('site-footer');
  let status = document.getElementById('status');
  if (status === null) {
    status = el('div', { id: 'status', class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    document.body.appendChild(status);
  }

  const draw = (): void => {
    const c = COMMON[current];
    document.documentElement.lang = current;
    document.title = `${setup.title(current)} · mjvote`;
    const skip = document.querySelector<HTMLAnchorElement>('a.skip');
    if (skip) skip.textContent = c.skip;
    const nav = el(
      'nav',
      { 'aria-label': c.nav },
      el(
        'ul',
        {},
        ...(Object.keys(PAGE_FILES) as PageName[]).map((p) =>
          el('li', {}, el('a', { href: PAGE_FILES[p], ...(p === setup.page ? { 'aria-current': 'page' } : {}) }, c[p])),
        ),
      ),
    );
    const switcher = el(
      'div',
      { class: 'lang', role: 'group', 'aria-label': c.language },
      ...LANGUAGES.map((l) =>
        el(
          'button',
          {
            type: 'button',
            lang: l,
            'aria-pressed': l === current ? 'true' : 'false',
            onclick: () => {
              if (l === current) return;
              current = l;
              rememberLanguage(l);
              draw();
            },
          },
          LANGUAGE_NAMES[l],
        ),
      ),
    );
    replace(header, el('div', { class: 'bar' }, el('span', { class: 'brand' }, 'mjvote'), nav, switcher));
    if (footer) replace(footer, el('p', {}, c.footer));
    setup.render(current, main);
  };
  draw();
  return draw;
}

/** Shows an error in `main` (the page cannot go on), in the interface language. */
export function showFatal(main: HTMLElement, reason: string): void {
  replace(main, el('div', { class: 'notice error', role: 'alert' }, el('p', {}, COMMON[current].error(reason))));
}
