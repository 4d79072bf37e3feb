/**
 * Text folded for matching across languages: accents removed (so "quelqu'un", "alguém" and
 * "menschen" match however the customer types them), case folded, punctuation turned into spaces.
 */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function words(text: string): string[] {
  const normalised = normaliseText(text);
  return normalised ? normalised.split(' ') : [];
}

/**
 * Words that carry no topic, in the languages the agent supports. Dropped before measuring how much
 * of a question a passage covers, so "how do I" does not count as matching every how-to.
 */
const stopWords = new Set(
  `a an the and or but if of to in on at by for with from about as into than then so is are was were be been being am do does did
  have has had can could will would shall should may might must i me my we our us you your he she it its they them their this that
  these those there here what which who whom whose when where why how please hi hello thanks thank yes no not any some all get got
  tell know want need like just also much many more most very really there s t don isn aren
  el la los las un una unos unas y o de del al en con por para que como cual cuando donde es son esta estan ser hay mi mis tu su sus me te se lo le
  yo usted ustedes puedo puede quiero tiene tienen hola gracias por favor
  le les une des du et ou au aux dans avec pour par sur que qui quoi comment quand est sont je tu il elle nous vous ils elles mon ma mes ton votre vos leur
  ce cette ces pas ne bonjour merci peux peut veux avez
  der die das den dem des ein eine einen einem einer und oder zu im am mit von fur auf ist sind ich du er sie es wir ihr mein dein unser euer wie was wo wann
  warum kann konnen ich habe haben hallo danke bitte nicht
  o os as um uma uns umas e do da dos das no na nos nas em com por para que como quando onde sao eu voce voces meu minha seu sua ola obrigado
  il lo gli i un uno una e di da in con su per che come quando dove sono io tu lui lei noi voi loro mio mia tuo tua suo sua ciao grazie posso puo
  de het een en of van in op met voor dat die wat hoe wanneer waar is zijn ik jij je u wij we jullie zij mijn jouw uw hallo dank bedankt kan kunnen`
    .split(/\s+/)
    .filter(Boolean),
);

/** Question words about price or stock: they say what the customer wants to know, not which product. */
const factQuestionWords = new Set(
  `price prices cost costs costing much expensive cheap stock stocks available availability left sell sells buy order
  precio precios cuesta cuestan cuanto vale disponible existencias
  prix coute combien disponible
  preis preise kostet kosten verfugbar lager vorratig
  preco custa quanto estoque
  prezzo costa quanto disponibile magazzino
  prijs kost kosten hoeveel voorraad beschikbaar`
    .split(/\s+/)
    .filter(Boolean),
);

/** A light, language-neutral stem: enough for "returns"/"return", "shipping"/"shipped". */
export function stem(word: string): string {
  if (/^\d/.test(word) || word.length <= 4) return word;
  for (const suffix of ['ations', 'ation', 'ings', 'ing', 'ies', 'es', 'ed', 'en', 's', 'e']) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 4) return word.slice(0, -suffix.length);
  }
  return word;
}

/** The words of a question or passage that say what it is about, stemmed. */
export function contentTerms(text: string): string[] {
  return words(text)
    .filter((word) => !stopWords.has(word) && (word.length > 1 || /\d/.test(word)))
    .map(stem);
}

/** Content terms of a question without the price/stock question words (unless nothing else is left). */
export function topicTerms(text: string): string[] {
  const terms = words(text).filter((word) => !stopWords.has(word) && (word.length > 1 || /\d/.test(word)));
  const topic = terms.filter((word) => !factQuestionWords.has(word));
  return (topic.length > 0 ? topic : terms).map(stem);
}

export function isFactQuestionWord(word: string): boolean {
  return factQuestionWords.has(word);
}
