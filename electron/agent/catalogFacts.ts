import type { Product } from '../../shared/schemas/knowledge.js';

export function formatPrice(price: number, currency: string | null): string {
  const amount = price.toFixed(2);
  return currency ? `${amount} ${currency}` : amount;
}

/** One product's facts as the customer reads them, straight from its catalog row. */
export function productFacts(product: Product): string {
  const name = product.name ?? product.sku ?? 'This product';
  const parts: string[] = [];
  if (product.sku && product.name) parts.push(`SKU ${product.sku}`);
  if (product.price !== null) parts.push(`price ${formatPrice(product.price, product.currency)}`);
  if (product.stock !== null) parts.push(product.stock > 0 ? `${product.stock} in stock` : 'out of stock');
  let text = parts.length > 0 ? `${name}: ${parts.join(', ')}.` : `${name}.`;
  if (product.url) text += ` Link: ${product.url}`;
  return text;
}

export function productsReply(products: readonly Product[]): string {
  if (products.length === 1) return productFacts(products[0]!);
  return ['Here is what I found:', ...products.map((product) => `- ${productFacts(product)}`)].join('\n');
}
