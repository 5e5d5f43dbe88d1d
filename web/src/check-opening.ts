/** Placeholder of the scaffold: the page is being written (issue 23). */
import { startPage } from './common/layout.js';
import { el, replace } from './common/dom.js';

startPage({ title: () => 'check-opening', render: (_lang, main) => replace(main, el('h1', {}, 'check-opening')) });
