import type { Product } from '../../shared/schemas/knowledge.js';

/**
 * Prices and stock levels reach a customer only from catalog rows. A model can misread a row or
 * invent a number, so every price-like or stock-like figure in its text is checked against the
 * rows it was shown; the engine replaces or withholds a reply that fails.
 */

const currencyWords = '(?:usd|eur|gbp|jpy|inr|chf|cad|aud|mxn|brl|dollars?|euros?|pounds?|reais|pesos?)';
const currencySymbols = '[$€£¥₹]';
const amount = '\\d[\\d.,]*\\d|\\d';
const priceWords = '(?:price[ds]?|costs?|priced at|for only|precio|cuesta|prix|co[uû]te|preis|kostet|pre[cç]o|custa|prezzo|costa|prijs|kost)';
const stockNouns = '(?:units?|items?|pieces?|pcs|left|in stock|available|on hand|en stock|disponibles?|en existencia|auf lager|st[uü]ck|verf[uü]gbar|em estoque|dispon[ií]veis|disponibili|pezzi|op voorraad|beschikbaar|stuks)';
const stockWords = '(?:stock|inventory|existencias|lager|estoque|magazzino|voorraad)';

const pricePatterns = [
  new RegExp(`${currencySymbols}\\s?(${amount})`, 'giu'),
  new RegExp(`(${amount})\\s?(?:${currencySymbols}|${currencyWords}\\b)`, 'giu'),
  new RegExp(`${priceWords}\\D{0,20}?(${amount})`, 'giu'),
];
const stockPatterns = [new RegExp(`(${amount})\\s*${stockNouns}`, 'giu'), new RegExp(`${stockWords}\\D{0,20}?(${amount})`, 'giu')];
const soldOutPattern = /out of stock|sold out|agotado|sin existencias|[ée]puis[ée]|rupture de stock|ausverkauft|nicht (?:auf lager|verf[uü]gbar)|esgotado|sem estoque|esaurito|uitverkocht|niet op voorraad/iu;

/** "1,299.00", "1.299,00", "59,90" and "59" as numbers. */
export function parseAmount(raw: string): number | null {
  let digits = raw.replace(/[^\d.,]/g, '');
  if (digits.includes(',') && (!digits.includes('.') || digits.lastIndexOf(',') > digits.lastIndexOf('.'))) {
    // "1,299" is a thousands separator; "59,90" a decimal comma.
    const afterComma = digits.length - digits.lastIndexOf(',') - 1;
    digits = afterComma === 3 && !digits.includes('.') ? digits.replace(/,/g, '') : digits.replace(/\./g, '').replace(',', '.');
  } else digits = digits.replace(/,/g, '');
  const value = Number.parseFloat(digits);
  return Number.isFinite(value) ? value : null;
}

function figures(text: string, patterns: RegExp[]): { raw: string; value: number }[] {
  const found: { raw: string; value: number }[] = [];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) {
      const value = parseAmount(match[1]!);
      if (value !== null) found.push({ raw: match[0].trim(), value });
    }
  }
  return found;
}

const sameAmount = (left: number, right: number) => Math.abs(left - right) < 0.005;

/** Every number written in a text, for figures a policy passage states (a shipping fee, a deposit). */
export function amountsIn(text: string): number[] {
  return [...text.matchAll(new RegExp(amount, 'gu'))].map((match) => parseAmount(match[0])).filter((value): value is number => value !== null);
}

/**
 * The price and stock figures in `text` that none of `products` has. `statedAmounts` are numbers
 * the non-catalog passages shown to the model contain (a shipping fee from the FAQ is no product
 * price, but it is not invented either).
 */
export function unsupportedFigures(replyText: string, products: readonly Product[], statedAmounts: readonly number[] = []): string[] {
  // Citation markers are numbers too, but they point at passages: "in stock [1]" states no level.
  const text = replyText.replace(/\[\d{1,2}(?:\s*,\s*\d{1,2})*\]/g, ' ');
  const prices = [...products.map((product) => product.price).filter((price): price is number => price !== null), ...statedAmounts];
  const stocks = [...products.map((product) => product.stock).filter((stock): stock is number => stock !== null), ...statedAmounts];
  const unsupported: string[] = [];
  const priceFigures = figures(text, pricePatterns).filter((figure, index, all) => all.findIndex((other) => sameAmount(other.value, figure.value)) === index);
  for (const figure of priceFigures) {
    if (!prices.some((price) => sameAmount(price, figure.value))) unsupported.push(figure.raw);
  }
  for (const figure of figures(text, stockPatterns)) {
    // "59.90 EUR available now" is a price already judged above, not a stock level.
    if (priceFigures.some((price) => sameAmount(price.value, figure.value) && figure.raw.includes(price.raw.replace(/\D+$/, '')))) continue;
    if (!stocks.some((stock) => sameAmount(stock, figure.value))) unsupported.push(figure.raw);
  }
  const soldOut = soldOutPattern.exec(text);
  if (soldOut && !products.some((product) => product.stock !== null && product.stock <= 0)) unsupported.push(soldOut[0]);
  return [...new Set(unsupported)];
}
