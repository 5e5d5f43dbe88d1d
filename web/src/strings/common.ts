/** The words every page shares: navigation, language switch, footer, errors. */
import type { Strings } from '../common/i18n.js';

const en = {
  skip: 'Skip to content',
  nav: 'Election pages',
  vote: 'Vote',
  board: 'Ballot box',
  results: 'Results',
  verify: 'Verify',
  language: 'Language',
  footer: 'Verifiable election decided by majority judgment, run with mjvote. Anyone can check the published record.',
  loading: 'Loading…',
  noServer: 'The ballot box cannot be reached. Check your connection and reload the page.',
  error: (reason: string): string => `Something went wrong: ${reason}`,
};

export const COMMON: Strings<typeof en> = {
  en,
  fr: {
    skip: 'Aller au contenu',
    nav: 'Pages de l’élection',
    vote: 'Voter',
    board: 'Urne',
    results: 'Résultats',
    verify: 'Vérifier',
    language: 'Langue',
    footer: 'Élection vérifiable au jugement majoritaire, organisée avec mjvote. Chacun peut vérifier le dossier publié.',
    loading: 'Chargement…',
    noServer: 'L’urne est injoignable. Vérifiez votre connexion et rechargez la page.',
    error: (reason: string): string => `Un problème est survenu : ${reason}`,
  },
};
