import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';

const estimator = new ZxcvbnFactory({
  dictionary: { ...commonDictionary, ...englishDictionary },
  graphs: adjacencyGraphs,
  translations,
});

/** zxcvbn score 3 means "safely unguessable: moderate protection from offline slow-hash attacks". */
export const minimumPassphraseScore = 3;

export interface PassphraseStrength {
  score: 0 | 1 | 2 | 3 | 4;
  acceptable: boolean;
  feedback: string;
}

/** Used by the UI's strength meter and by the core's check, so both agree. */
export function measurePassphrase(passphrase: string, userInputs: string[] = []): PassphraseStrength {
  const result = estimator.check(passphrase, userInputs);
  const feedback = [result.feedback.warning, ...result.feedback.suggestions].filter(Boolean).join(' ');
  return {
    score: result.score,
    acceptable: result.score >= minimumPassphraseScore,
    feedback,
  };
}
