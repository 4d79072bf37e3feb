import { normaliseText } from './textNormalisation.js';

/**
 * Phrases a customer uses to ask for a person, written already normalised (no accents, lower case,
 * punctuation as spaces). Whole phrases rather than single words, so "is this safe for human
 * skin?" does not page the staff.
 */
const personRequestPhrases: Record<string, string[]> = {
  english: [
    'talk to a human', 'speak to a human', 'talk to a person', 'speak to a person', 'talk to someone', 'speak to someone',
    'speak with someone', 'talk with someone', 'speak with a human', 'talk with a human', 'speak with a person', 'talk with a person',
    'real person', 'real human', 'human agent', 'live agent', 'live person', 'human being', 'customer service agent',
    'a representative', 'an operator', 'to an agent', 'with an agent', 'a human please', 'human please', 'agent please',
    'person please', 'transfer me', 'connect me to', 'get me a human', 'get me a person', 'i want a human', 'i need a human',
    'somebody from your team', 'someone from your team',
  ],
  spanish: [
    'hablar con una persona', 'hablar con un humano', 'hablar con alguien', 'hablar con un agente', 'hablar con un asesor',
    'hablar con un operador', 'persona real', 'agente humano', 'un operador', 'con un representante', 'quiero un humano',
    'quiero una persona', 'pasame con', 'comunicarme con una persona', 'atencion humana',
  ],
  french: [
    'parler a un humain', 'parler a une personne', 'parler a quelqu un', 'parler avec quelqu un', 'parler a un conseiller',
    'parler a un agent', 'parler a un operateur', 'une vraie personne', 'personne reelle', 'un vrai humain', 'etre humain',
    'un conseiller', 'un operateur', 'avec un humain', 'je veux un humain',
  ],
  german: [
    'mit einem menschen', 'mit einer person', 'mit jemandem sprechen', 'mit jemandem reden', 'mit einem mitarbeiter',
    'mit einer mitarbeiterin', 'echten menschen', 'echte person', 'einen menschen', 'kundenberater', 'einen berater',
    'mitarbeiter sprechen', 'mit einem agenten', 'menschlichen mitarbeiter',
  ],
  portuguese: [
    'falar com uma pessoa', 'falar com um humano', 'falar com alguem', 'falar com um atendente', 'falar com um agente',
    'atendente humano', 'pessoa real', 'um atendente', 'quero um humano', 'atendimento humano',
  ],
  italian: [
    'parlare con una persona', 'parlare con un umano', 'parlare con qualcuno', 'parlare con un operatore',
    'parlare con un consulente', 'persona reale', 'un operatore', 'un essere umano', 'operatore umano', 'voglio un umano',
  ],
  dutch: [
    'met een mens', 'met een persoon', 'met iemand spreken', 'met iemand praten', 'een medewerker', 'echte persoon',
    'echt persoon', 'een mens spreken', 'menselijke medewerker', 'met een medewerker',
  ],
};

/** A message that is nothing but one of these words is also a request for a person. */
const personRequestWords = new Set([
  'human', 'person', 'agent', 'operator', 'representative', 'humano', 'persona', 'agente', 'operador', 'humain', 'conseiller',
  'mensch', 'mitarbeiter', 'atendente', 'umano', 'operatore', 'mens', 'medewerker',
]);

const paddedPhrases = Object.values(personRequestPhrases).flat().map((phrase) => ` ${phrase} `);

/** True when the customer asks to talk to a person, in any of the supported languages. */
export function asksForPerson(message: string): boolean {
  const normalised = normaliseText(message);
  if (!normalised) return false;
  const padded = ` ${normalised} `;
  if (paddedPhrases.some((phrase) => padded.includes(phrase))) return true;
  const remaining = normalised.split(' ').filter((word) => !['a', 'an', 'un', 'una', 'please', 'por', 'favor', 'bitte', 'svp'].includes(word));
  return remaining.length === 1 && personRequestWords.has(remaining[0]!);
}

/**
 * The first human-only topic the message touches, or null. A topic matches as a whole phrase at a
 * word start, allowing a short ending ("refund" matches "refunds" and "refunded", not "refundable…" beyond 3 letters).
 */
export function matchHumanOnlyTopic(message: string, topics: readonly string[]): string | null {
  const padded = ` ${normaliseText(message)} `;
  for (const topic of topics) {
    const normalisedTopic = normaliseText(topic);
    if (!normalisedTopic) continue;
    let from = 0;
    for (;;) {
      const index = padded.indexOf(` ${normalisedTopic}`, from);
      if (index < 0) break;
      const after = padded.slice(index + normalisedTopic.length + 1);
      const ending = /^[\p{L}\p{N}]*/u.exec(after)?.[0] ?? '';
      if (ending.length <= 3) return topic;
      from = index + 1;
    }
  }
  return null;
}

const greetingWords = new Set([
  'hi', 'hello', 'hey', 'hola', 'buenas', 'bonjour', 'salut', 'hallo', 'servus', 'ola', 'oi', 'ciao', 'salve', 'goedendag', 'hoi',
  'good', 'morning', 'afternoon', 'evening', 'buenos', 'dias', 'tardes', 'noches', 'bom', 'dia', 'boa', 'tarde', 'buongiorno',
  'guten', 'tag', 'morgen', 'goedemorgen', 'there', 'bonsoir', 'buonasera', 'ola',
]);

/** A message that only greets ("hi", "buenos días"): answered with the tenant's greeting. */
export function isGreetingOnly(message: string): boolean {
  const list = normaliseText(message).split(' ').filter(Boolean);
  return list.length > 0 && list.length <= 4 && list.every((word) => greetingWords.has(word));
}
