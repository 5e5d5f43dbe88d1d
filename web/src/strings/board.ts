/** The public board's words (web/src/board.ts), and the phases in words (shared with the results page). */
import type { Strings } from '../common/i18n.js';
import type { Phase } from '../common/election-info.js';

const n = (x: number, locale: string): string => x.toLocaleString(locale);

const en = {
  title: 'Ballot box',
  heading: (title: string): string => `Ballot box: ${title}`,
  intro:
    'Every ballot cast, and every ballot opened for an audit, is an entry of this public board. Each entry names the hash of the one before it, so the board head below commits to everything on the board.',
  countsHeading: 'On the board now',
  ballots: 'Ballots cast',
  ballotsHint: 'revotes included',
  voters: 'Voters',
  votersHint: 'voters with a ballot that counts',
  audits: 'Audited ballots',
  registered: 'Registered voters',
  entries: 'Board entries',
  phase: 'Election',
  head: 'Board head',
  number: (x: number): string => n(x, 'en-GB'),
  live: 'Live: the counts update as ballots arrive.',
  connecting: 'Connecting to the live feed…',
  reconnecting: 'The live feed was interrupted: reconnecting…',
  announceButton: 'Read out the counts',
  announceHint: 'Screen readers hear the counts at most every 30 seconds while they change, or whenever you press this button.',
  summary: (v: { ballots: number; voters: number; audits: number; registered: number }): string =>
    `${n(v.ballots, 'en-GB')} ballots cast by ${n(v.voters, 'en-GB')} of ${n(v.registered, 'en-GB')} registered voters; ${n(v.audits, 'en-GB')} audited.`,
  phaseChanged: (p: string): string => `The election changed: ${p}`,
  resultsLink: 'See the results',
  trackHeading: 'Find my tracking code',
  trackIntro:
    'Your booth gave you a tracking code when you voted (six groups of five letters and digits, also on your receipt). Look it up to see what happened to your ballot.',
  codeLabel: 'Tracking code',
  codeHint: 'For example 7M2QX-0A4KD-… Case, spaces and dashes do not matter.',
  lookUp: 'Look it up',
  looking: 'Looking it up…',
  malformed: (reason: string): string => `This is not a tracking code: ${reason}. Copy it from your receipt or your booth's last screen.`,
  wrongLength: (count: number): string => `it has 30 letters and digits (six groups of five), and this one has ${count}`,
  badSymbol: (ch: string): string => `“${ch}” is not one of its symbols (digits, and letters except U)`,
  refused: 'the ballot box refused it',
  empty: 'Type or paste your tracking code first.',
  lookupFailed: (reason: string): string => `The lookup failed: ${reason}. Try again in a moment.`,
  counted: {
    title: 'Your ballot is counted',
    advice:
      'Your ballot is on the board and it is the one of yours that counts. Nothing to do. Keep your receipt until the record is published: anyone can then check it against the board.',
  },
  superseded: {
    title: 'A later ballot of yours replaced this one',
    advice:
      'Only your last ballot counts. That is expected if you voted again after this one. If you did not vote again, someone else used your credential: report it to the election authority with this tracking code and your receipt.',
    counted: (seq: number): string => `The ballot that counts for this voter is entry ${n(seq, 'en-GB')}.`,
  },
  audited: {
    title: 'This ballot was audited, so it cannot be counted',
    advice:
      'You chose to check (open) this ballot: an opened ballot shows its grades, so it is never counted. Cast another ballot if you have not done so yet, and look up its tracking code.',
  },
  absent: {
    title: 'This tracking code is not on the board',
    advice:
      'If you got a receipt for this ballot, keep it and report it to the election authority and to the auditors: the ballot box acknowledged a ballot that the board does not hold, and the receipt proves it. If you got no receipt, your ballot was not accepted: vote again.',
  },
  entryNumber: 'Entry number',
  entryTime: 'Entered at',
  entryHash: 'Entry hash',
  headAtLookup: (entries: number): string => `Board head when you looked (${n(entries, 'en-GB')} entries)`,
  whatItProves:
    'The entry hash commits to this entry and to every entry before it: a published board that does not hold it at this number is not the board you saw.',
  time: (iso: string): string =>
    `${new Date(iso).toLocaleString('en-GB', { timeZone: 'UTC', dateStyle: 'long', timeStyle: 'medium' })} UTC`,
  unreadable: (reason: string): string => `The ballot box's answer could not be read: ${reason}`,
  phases: {
    open: 'open: the ballot box accepts ballots',
    sealed: 'closed: the ballot box accepts no more ballots; the tally comes next',
    tallied: 'tallied: the encrypted tally is on the board; the trustees decrypt it next',
    decrypting: 'being decrypted: the trustees are publishing their shares of the tally',
    published: 'published: the result and the record are out',
  } satisfies Record<Phase, string>,
};

export const BOARD: Strings<typeof en> = {
  en,
  fr: {
    title: 'Urne',
    heading: (title: string): string => `Urne : ${title}`,
    intro:
      'Chaque bulletin déposé, et chaque bulletin ouvert pour un audit, est une entrée de ce tableau public. Chaque entrée nomme l’empreinte de la précédente : l’empreinte de tête ci-dessous engage donc tout ce que contient le tableau.',
    countsHeading: 'Sur le tableau en ce moment',
    ballots: 'Bulletins déposés',
    ballotsHint: 'nouveaux votes compris',
    voters: 'Votants',
    votersHint: 'électeurs dont un bulletin compte',
    audits: 'Bulletins audités',
    registered: 'Électeurs inscrits',
    entries: 'Entrées du tableau',
    phase: 'Élection',
    head: 'Empreinte de tête',
    number: (x: number): string => n(x, 'fr-FR'),
    live: 'En direct : les nombres se mettent à jour à l’arrivée des bulletins.',
    connecting: 'Connexion au suivi en direct…',
    reconnecting: 'Le suivi en direct a été interrompu : reconnexion…',
    announceButton: 'Lire les nombres',
    announceHint:
      'Les lecteurs d’écran entendent les nombres au plus toutes les 30 secondes quand ils changent, ou quand vous appuyez sur ce bouton.',
    summary: (v: { ballots: number; voters: number; audits: number; registered: number }): string =>
      `${n(v.ballots, 'fr-FR')} bulletins déposés par ${n(v.voters, 'fr-FR')} électeurs sur ${n(v.registered, 'fr-FR')} inscrits ; ${n(v.audits, 'fr-FR')} audités.`,
    phaseChanged: (p: string): string => `L’élection a changé d’étape : ${p}`,
    resultsLink: 'Voir les résultats',
    trackHeading: 'Retrouver mon code de suivi',
    trackIntro:
      'Votre isoloir vous a donné un code de suivi quand vous avez voté (six groupes de cinq lettres et chiffres, aussi sur votre reçu). Cherchez-le pour savoir ce qu’est devenu votre bulletin.',
    codeLabel: 'Code de suivi',
    codeHint: 'Par exemple 7M2QX-0A4KD-… Majuscules, espaces et tirets sont indifférents.',
    lookUp: 'Chercher',
    looking: 'Recherche…',
    malformed: (reason: string): string =>
      `Ce n’est pas un code de suivi : ${reason}. Copiez-le depuis votre reçu ou le dernier écran de votre isoloir.`,
    wrongLength: (count: number): string => `il compte 30 lettres et chiffres (six groupes de cinq), celui-ci en a ${count}`,
    badSymbol: (ch: string): string => `« ${ch} » n’en est pas un symbole (chiffres, et lettres sauf U)`,
    refused: 'l’urne l’a refusé',
    empty: 'Saisissez ou collez d’abord votre code de suivi.',
    lookupFailed: (reason: string): string => `La recherche a échoué : ${reason}. Réessayez dans un instant.`,
    counted: {
      title: 'Votre bulletin est compté',
      advice:
        'Votre bulletin est sur le tableau et c’est celui des vôtres qui compte. Rien à faire. Gardez votre reçu jusqu’à la publication du dossier : chacun pourra alors le confronter au tableau.',
    },
    superseded: {
      title: 'Un bulletin plus récent de votre part l’a remplacé',
      advice:
        'Seul votre dernier bulletin compte. C’est normal si vous avez revoté après celui-ci. Si vous n’avez pas revoté, quelqu’un d’autre a utilisé votre code de vote : signalez-le à l’autorité électorale avec ce code de suivi et votre reçu.',
      counted: (seq: number): string => `Le bulletin qui compte pour cet électeur est l’entrée ${n(seq, 'fr-FR')}.`,
    },
    audited: {
      title: 'Ce bulletin a été audité : il ne peut pas être compté',
      advice:
        'Vous avez choisi de vérifier (ouvrir) ce bulletin : un bulletin ouvert montre ses mentions, il n’est donc jamais compté. Déposez un autre bulletin si ce n’est pas déjà fait, et cherchez son code de suivi.',
    },
    absent: {
      title: 'Ce code de suivi n’est pas sur le tableau',
      advice:
        'Si vous avez reçu un reçu pour ce bulletin, gardez-le et signalez-le à l’autorité électorale et aux auditeurs : l’urne a accusé réception d’un bulletin que le tableau ne contient pas, et le reçu le prouve. Si vous n’avez pas eu de reçu, votre bulletin n’a pas été accepté : votez à nouveau.',
    },
    entryNumber: 'Numéro d’entrée',
    entryTime: 'Enregistrée le',
    entryHash: 'Empreinte de l’entrée',
    headAtLookup: (entries: number): string => `Empreinte de tête lors de votre recherche (${n(entries, 'fr-FR')} entrées)`,
    whatItProves:
      'L’empreinte de l’entrée engage cette entrée et toutes celles qui la précèdent : un tableau publié qui ne la contient pas à ce numéro n’est pas celui que vous avez vu.',
    time: (iso: string): string =>
      `${new Date(iso).toLocaleString('fr-FR', { timeZone: 'UTC', dateStyle: 'long', timeStyle: 'medium' })} UTC`,
    unreadable: (reason: string): string => `La réponse de l’urne est illisible : ${reason}`,
    phases: {
      open: 'ouverte : l’urne accepte les bulletins',
      sealed: 'close : l’urne n’accepte plus de bulletin ; le dépouillement suit',
      tallied: 'dépouillée : le décompte chiffré est sur le tableau ; les gardiens des clés le déchiffrent ensuite',
      decrypting: 'en cours de déchiffrement : les gardiens des clés publient leurs parts du décompte',
      published: 'publiée : le résultat et le dossier sont disponibles',
    },
  },
};
