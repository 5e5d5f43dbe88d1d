/**
 * Building the pages' DOM without HTML strings: text from the election, the server or the
 * voter only ever goes in through `textContent` or attributes, never parsed as markup.
 * @module
 */

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;

/**
 * `el('button', { type: 'button', onclick: f, 'aria-describedby': 'x' }, 'text', child)`.
 * Attributes `on*` with a function become listeners; `false`/`null`/`undefined` are left out;
 * `true` sets a boolean attribute.
 */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (v === true) node.setAttribute(k, '');
    else node.setAttribute(k, String(v));
  }
  append(node, ...children);
  return node;
}

/** Appends children (strings as text nodes), skipping empty ones. */
export function append(parent: Node, ...children: Child[]): void {
  for (const c of children)
    if (c !== null && c !== undefined && c !== false) parent.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
}

/** Replaces `parent`'s children. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** The element with this id (throws if the page lacks it: a bug in the page). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`the page has no #${id}`);
  return e as T;
}

/**
 * Says `message` to screen readers through the page's polite live region (and shows it there):
 * for status changes a sighted voter sees elsewhere on the page.
 */
export function announce(message: string): void {
  const region = document.getElementById('status');
  if (region !== null) {
    region.textContent = '';
    // A fresh text node after a tick, so that the same message twice is announced twice.
    setTimeout(() => (region.textContent = message), 50);
  }
}

/** Moves focus to a step's heading (made focusable), so keyboard and screen-reader users land on it. */
export function focusHeading(h: HTMLElement): void {
  if (!h.hasAttribute('tabindex')) h.setAttribute('tabindex', '-1');
  h.focus();
}

/** Offers `text` as a file download named `name` (a receipt, an opening). */
export function download(name: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { href: url, download: name });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A column's header: its text, or `{ text, num: true }` for a column of numbers (right-aligned). */
export type ColumnHead = string | { readonly text: string; readonly num: true };

/** What {@link dataTable} draws. */
export interface DataTableSpec {
  readonly id?: string;
  /** The table's caption; with `captionHidden`, for screen readers only. */
  readonly caption?: string;
  readonly captionHidden?: boolean;
  /**
   * Names the wrapper that scrolls the table sideways on a narrow screen and makes it focusable,
   * so a keyboard user can scroll it too (for tables that may be wider than a phone).
   */
  readonly region?: string;
  readonly head: readonly ColumnHead[];
  /** The body's rows (`<tr>`), built by the caller. */
  readonly rows: readonly Node[];
}

/** A table of data in its scrolling wrapper: caption, one header row of column headers, the rows. */
export function dataTable(t: DataTableSpec): HTMLElement {
  return el(
    'div',
    { class: 'table-wrap', ...(t.region !== undefined && { tabindex: 0, role: 'region', 'aria-label': t.region }) },
    el(
      'table',
      { id: t.id },
      t.caption !== undefined ? el('caption', { class: t.captionHidden ? 'visually-hidden' : undefined }, t.caption) : null,
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ...t.head.map((h) => (typeof h === 'string' ? el('th', { scope: 'col' }, h) : el('th', { scope: 'col', class: 'num' }, h.text))),
        ),
      ),
      el('tbody', {}, ...t.rows),
    ),
  );
}
