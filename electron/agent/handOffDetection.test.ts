import { describe, expect, it } from 'vitest';
import { asksForPerson, isGreetingOnly, matchHumanOnlyTopic } from './handOffDetection.js';

describe('asking for a person', () => {
  it.each([
    ['English', 'Can I talk to a human please?'],
    ['English, one word', 'HUMAN'],
    ['English, live agent', 'I want a live agent now'],
    ['Spanish', 'Quiero hablar con una persona, por favor'],
    ['Spanish without accents', 'pasame con un operador'],
    ['French with apostrophe and accents', "Je voudrais parler à quelqu'un"],
    ['French', 'Puis-je parler à un conseiller ?'],
    ['German', 'Kann ich bitte mit einem Menschen sprechen?'],
    ['German', 'Ich möchte mit einem Mitarbeiter sprechen'],
    ['Portuguese', 'Quero falar com um atendente'],
    ['Portuguese with accents', 'Posso falar com alguém?'],
    ['Italian', 'Vorrei parlare con un operatore'],
    ['Dutch', 'Kan ik met een medewerker spreken?'],
  ])('is recognised in %s: "%s"', (_language, message) => {
    expect(asksForPerson(message)).toBe(true);
  });

  it.each(['Is this cream safe for human skin?', 'How long does shipping take?', 'Which person sizes do the jackets come in?', 'Tengo una pregunta sobre mi pedido'])(
    'is not read into an ordinary question: "%s"',
    (message) => {
      expect(asksForPerson(message)).toBe(false);
    },
  );
});

describe('human-only topics', () => {
  const topics = ['refund', 'chargeback', 'legal action'];

  it('match whole words with a short ending, in any case and with accents folded', () => {
    expect(matchHumanOnlyTopic('I want a REFUND for my order', topics)).toBe('refund');
    expect(matchHumanOnlyTopic('Were my refunds processed?', topics)).toBe('refund');
    expect(matchHumanOnlyTopic('I will take legal action!', topics)).toBe('legal action');
    expect(matchHumanOnlyTopic('Réfund please', ['réfund'])).toBe('réfund');
  });

  it('do not match inside other words', () => {
    expect(matchHumanOnlyTopic('Is the price non-refundable?', ['refund'])).toBe(null);
    expect(matchHumanOnlyTopic('Tell me about prefunding', ['refund'])).toBe(null);
    expect(matchHumanOnlyTopic('anything', [])).toBe(null);
  });
});

describe('greetings', () => {
  it('recognise a message that only greets, in several languages', () => {
    expect(isGreetingOnly('Hi!')).toBe(true);
    expect(isGreetingOnly('Buenos días')).toBe(true);
    expect(isGreetingOnly('Guten Tag')).toBe(true);
    expect(isGreetingOnly('Hi, how much is the duffle bag?')).toBe(false);
  });
});
