/**
 * How guessable a new trustee passphrase is, estimated with zxcvbn-ts (the maintained TypeScript
 * port of Dropbox's zxcvbn: dictionaries of common passwords, names and words, keyboard patterns,
 * repeats, sequences, dates, l33t substitutions). A length rule alone accepted `123456789012` and
 * `aaaaaaaaaaaa`; a model of how people choose passwords is what an attacker with a stolen state
 * file uses, so it is what the check uses too. Node-only (the command line).
 * @module
 */
import zxcvbnCore from '@zxcvbn-ts/core';
import zxcvbnCommon from '@zxcvbn-ts/language-common';
import zxcvbnEn from '@zxcvbn-ts/language-en';

/**
 * Fewest estimated guesses a new passphrase must need: 10^12. A state file is protected by scrypt
 * (N = 2^17, about a tenth of a second of one core per guess), so 10^12 guesses are thousands of
 * core-years; four random dictionary words are about 10^15.
 */
export const MIN_PASSPHRASE_GUESSES_LOG10 = 12;

let factory: InstanceType<typeof zxcvbnCore.ZxcvbnFactory> | undefined;

/** The estimate for `pass`: log10 of the guesses, and zxcvbn's advice when it has some. */
export function passphraseStrength(pass: string): { guessesLog10: number; warning: string | null; suggestions: readonly string[] } {
  factory ??= new zxcvbnCore.ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEn.translations,
  });
  const r = factory.check(pass);
  return { guessesLog10: r.guessesLog10, warning: r.feedback.warning, suggestions: r.feedback.suggestions };
}

/** Why `pass` is too weak for a new state file, in one sentence, or null when it is strong enough. */
export function weakPassphraseReason(pass: string): string | null {
  const s = passphraseStrength(pass);
  if (s.guessesLog10 >= MIN_PASSPHRASE_GUESSES_LOG10) return null;
  const advice = [s.warning, ...s.suggestions].filter((x): x is string => !!x).join(' ');
  return `the passphrase is too easy to guess (about 10^${Math.floor(s.guessesLog10)} guesses; at least 10^${MIN_PASSPHRASE_GUESSES_LOG10} are needed)${advice ? `: ${advice}` : ''} Four or five random words are best.`;
}
