/** The results page's words (web/src/results.ts). */
import type { Strings } from '../common/i18n.js';

const n = (x: number | bigint, locale: string): string => x.toLocaleString(locale);

const en = {
  title: 'Results',
  heading: (title: string): string => `Results: ${title}`,
  phase: (p: string): string => `The election is ${p}.`,
  notYet:
    'The results appear here once the ballot box is closed, the trustees have decrypted the tally and the organiser has published the election record. Nobody, not even the organiser, can see any result before the trustees decrypt the tally.',
  checkAgain: 'Check again',
  boardLink: 'Follow the ballot box',
  counted: (b: number): string => `${n(b, 'en-GB')} ballots counted (one per voter: the last ballot of each).`,
  rankingHeading: 'Ranking',
  rankingIntro:
    'Majority judgment: each candidate gets the grade that a majority of voters gave at least (the majority grade), and candidates are ranked by it. Between candidates with the same majority grade, “+” means more voters graded the candidate above their majority grade than below it, “−” the opposite.',
  rank: 'Rank',
  candidate: 'Candidate',
  majorityGrade: 'Majority grade',
  above: 'Graded above',
  below: 'Graded below',
  tie: 'tied',
  mentionPlus: 'plus',
  mentionMinus: 'minus',
  profilesHeading: 'Merit profiles',
  chartCaption:
    'One bar per candidate, in rank order: the share of voters who gave each grade, best grade on the left. The grade under the 50 % line is the majority grade.',
  chartLabel: 'Merit profiles of the candidates, chart (the table below has the same numbers)',
  legend: 'Grades',
  tableCaption: 'Merit profiles: number of voters who gave each grade, with the share in percent',
  recordHeading: 'The election record',
  recordArchive: 'Download the whole record',
  recordArchiveHint: (name: string): string =>
    `One file, ${name}: extract it (tar -xf ${name}) and verify the folder it holds. Or take the files one by one:`,
  recordIntro:
    'Everything needed to check this result, with no secret and no trust in the organiser: download the files into one folder and run the verifier, or check it in your browser.',
  roles: {
    index: 'the index: lists these files and the board’s final head',
    manifest: 'the election: title, candidates, grades, trustees',
    ceremony: 'the trustees’ key ceremony, which made the election key',
    credentials: 'the public list of registered voters’ credentials',
    board: 'the ballot box: every ballot, audit and step, hash-chained',
    tally: 'the encrypted tally, the sum of the counted ballots',
    decryptionShares: 'the trustees’ decryption of the tally, with proofs',
    result: 'the merit profiles and the ranking shown on this page',
  } as Record<string, string>,
  verifyCommand: 'With mjvote installed, in a terminal (DIR is the folder holding the files):',
  verifyPage: 'Check the record in your browser',
  boardHead: 'Final board head',
  notThisElection: (path: string, reason: string): string =>
    `The published record cannot be shown: ${path}: ${reason}. It may be another election’s or damaged; tell the organiser and the auditors.`,
  wrongRanking:
    'The published ranking is not the one its merit profiles give. Do not trust this result; tell the organiser and the auditors, and run the verifier.',
  // A no-break space: the sign never wraps away from its number.
  percent: (p: string): string => `${p}\u00a0%`,
};

export const RESULTS: Strings<typeof en> = {
  en,
  fr: {
    title: 'Résultats',
    heading: (title: string): string => `Résultats : ${title}`,
    phase: (p: string): string => `L’élection est ${p}.`,
    notYet:
      'Les résultats paraîtront ici une fois l’urne close, le décompte déchiffré par les gardiens des clés et le dossier de l’élection publié par l’organisateur. Personne, pas même l’organisateur, ne peut voir de résultat avant ce déchiffrement.',
    checkAgain: 'Vérifier à nouveau',
    boardLink: 'Suivre l’urne',
    counted: (b: number): string => `${n(b, 'fr-FR')} bulletins comptés (un par électeur : le dernier de chacun).`,
    rankingHeading: 'Classement',
    rankingIntro:
      'Jugement majoritaire : chaque candidat reçoit la mention qu’une majorité d’électeurs lui a au moins attribuée (sa mention majoritaire), et les candidats sont classés selon elle. Entre candidats de même mention majoritaire, « + » signifie que plus d’électeurs l’ont jugé au-dessus de sa mention majoritaire qu’en dessous, « − » l’inverse.',
    rank: 'Rang',
    candidate: 'Candidat',
    majorityGrade: 'Mention majoritaire',
    above: 'Jugé au-dessus',
    below: 'Jugé en dessous',
    tie: 'ex æquo',
    mentionPlus: 'plus',
    mentionMinus: 'moins',
    profilesHeading: 'Profils de mérite',
    chartCaption:
      'Une barre par candidat, dans l’ordre du classement : la part des électeurs ayant donné chaque mention, la meilleure à gauche. La mention sous la ligne des 50 % est la mention majoritaire.',
    chartLabel: 'Profils de mérite des candidats, graphique (le tableau suivant donne les mêmes nombres)',
    legend: 'Mentions',
    tableCaption: 'Profils de mérite : nombre d’électeurs ayant donné chaque mention, et part en pourcentage',
    recordHeading: 'Le dossier de l’élection',
    recordArchive: 'Télécharger tout le dossier',
    recordArchiveHint: (name: string): string =>
      `Un seul fichier, ${name} : extrayez-le (tar -xf ${name}) et vérifiez le dossier qu’il contient. Ou prenez les fichiers un par un :`,
    recordIntro:
      'Tout ce qu’il faut pour vérifier ce résultat, sans secret et sans faire confiance à l’organisateur : téléchargez les fichiers dans un même dossier et lancez le vérificateur, ou vérifiez-le dans votre navigateur.',
    roles: {
      index: 'l’index : liste ces fichiers et l’empreinte finale du tableau',
      manifest: 'l’élection : titre, candidats, mentions, gardiens des clés',
      ceremony: 'la cérémonie des gardiens des clés, qui a produit la clé de l’élection',
      credentials: 'la liste publique des codes de vote des inscrits',
      board: 'l’urne : chaque bulletin, audit et étape, chaînés par empreintes',
      tally: 'le décompte chiffré, somme des bulletins comptés',
      decryptionShares: 'le déchiffrement du décompte par les gardiens des clés, avec preuves',
      result: 'les profils de mérite et le classement de cette page',
    },
    verifyCommand: 'Avec mjvote installé, dans un terminal (DIR est le dossier des fichiers) :',
    verifyPage: 'Vérifier le dossier dans votre navigateur',
    boardHead: 'Empreinte finale du tableau',
    notThisElection: (path: string, reason: string): string =>
      `Le dossier publié ne peut pas être affiché : ${path} : ${reason}. Il est peut-être celui d’une autre élection, ou abîmé ; prévenez l’organisateur et les auditeurs.`,
    wrongRanking:
      'Le classement publié n’est pas celui que donnent ses profils de mérite. Ne vous fiez pas à ce résultat ; prévenez l’organisateur et les auditeurs, et lancez le vérificateur.',
    percent: (p: string): string => `${p.replace('.', ',')}\u00a0%`,
  },
};
