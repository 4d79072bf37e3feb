import { describe, expect, it } from 'vitest';
import type { Product } from '../../shared/schemas/knowledge.js';
import { parseAmount, unsupportedFigures } from './figureCheck.js';
import { citedNumbers, withoutCitations } from './groundedPrompt.js';

const bag: Product = { id: 1, sourceId: 's', row: 1, sku: '24-MB01', name: 'Joust Duffle Bag', description: null, price: 34, currency: 'USD', stock: 100, url: null, attributes: {} };
const soldOut: Product = { ...bag, id: 2, row: 2, name: 'Strive Shoulder Pack', price: 32.5, stock: 0 };

describe('the catalog check of a model reply', () => {
  it('reads amounts written with either decimal convention', () => {
    expect(parseAmount('1,299.00')).toBe(1299);
    expect(parseAmount('1.299,00')).toBe(1299);
    expect(parseAmount('59,90')).toBe(59.9);
    expect(parseAmount('1,299')).toBe(1299);
    expect(parseAmount('34')).toBe(34);
  });

  it('accepts prices and stock levels that the catalog rows have', () => {
    expect(unsupportedFigures('The Joust Duffle Bag costs $34.00 and we have 100 in stock [1].', [bag])).toEqual([]);
    expect(unsupportedFigures('Le sac coûte 34,00 € [1].', [bag])).toEqual([]);
    expect(unsupportedFigures('The Strive Shoulder Pack is sold out.', [soldOut])).toEqual([]);
  });

  it('flags an invented price, a wrong stock level and a false "sold out"', () => {
    expect(unsupportedFigures('The Joust Duffle Bag costs $19.99 [1].', [bag])).toEqual(['$19.99']);
    expect(unsupportedFigures('Only 3 units left!', [bag])).toEqual(['3 units']);
    expect(unsupportedFigures('Sorry, it is out of stock.', [bag])).toEqual(['out of stock']);
    expect(unsupportedFigures('It costs 29 EUR.', [])).toEqual(['29 EUR']);
  });

  it('accepts an amount a policy passage states, such as a shipping fee', () => {
    expect(unsupportedFigures('Shipping costs 4.95 EUR [2].', [bag], [4.95, 30])).toEqual([]);
  });

  it('does not mistake days or order numbers for prices', () => {
    expect(unsupportedFigures('You can return it within 30 days [1].', [bag])).toEqual([]);
  });
});

describe('citations', () => {
  it('are read in order and removed from the customer copy', () => {
    expect(citedNumbers('It costs 34 USD [2]. Returns within 30 days [1][2]. See [3, 4].')).toEqual([2, 1, 3, 4]);
    expect(withoutCitations('It costs 34 USD [2]. Returns within 30 days [1][2].')).toBe('It costs 34 USD. Returns within 30 days.');
  });
});
