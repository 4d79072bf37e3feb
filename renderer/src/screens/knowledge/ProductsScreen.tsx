import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ProductsInput } from '../../../../shared/schemas/knowledge';
import { useTRPC } from '../../api/trpc';
import { ErrorMessage } from '../../components/ErrorMessage';

type SortBy = NonNullable<ProductsInput['sortBy']>;

const pageSize = 200;

/** Products from imported catalogs, with sort, a text filter, a filter by catalog, and pages. */
export function ProductsScreen() {
  const trpc = useTRPC();
  const [search, setSearch] = useState('');
  const [sortBy, setSortBy] = useState<SortBy>('name');
  const [descending, setDescending] = useState(false);
  const [sourceId, setSourceId] = useState('');
  const [page, setPage] = useState(0);
  const catalogs = useQuery({ ...trpc.knowledge.sources.queryOptions(), select: (sources) => sources.filter((source) => source.columnMapping !== null) });
  const products = useQuery(trpc.knowledge.products.queryOptions({ search, sortBy, descending, limit: pageSize, offset: page * pageSize, ...(sourceId ? { sourceId } : {}) }));
  const filtered = search.trim() !== '' || sourceId !== '';
  const sortButton = (column: SortBy, label: string) => (
    <button
      type="button"
      className="link"
      onClick={() => {
        setDescending(sortBy === column ? !descending : false);
        setSortBy(column);
        setPage(0);
      }}
    >
      {label}
      {sortBy === column ? (descending ? ' ↓' : ' ↑') : ''}
    </button>
  );
  return (
    <div className="stack">
      <div className="field">
        <label htmlFor="product-filter">Filter products</label>
        <input
          id="product-filter"
          type="search"
          value={search}
          placeholder="SKU, name or description"
          onChange={(event) => {
            setSearch(event.target.value);
            setPage(0);
          }}
        />
      </div>
      {catalogs.data && catalogs.data.length > 1 && (
        <div className="field">
          <label htmlFor="product-catalog">Catalog</label>
          <select
            id="product-catalog"
            value={sourceId}
            onChange={(event) => {
              setSourceId(event.target.value);
              setPage(0);
            }}
          >
            <option value="">All catalogs</option>
            {catalogs.data.map((catalog) => (
              <option key={catalog.id} value={catalog.id}>
                {catalog.name} ({catalog.productCount})
              </option>
            ))}
          </select>
        </div>
      )}
      <ErrorMessage error={products.error ?? catalogs.error} />
      {products.data && products.data.total === 0 && (
        <p>{filtered ? 'No products match this filter.' : 'No products yet. Import a catalog (CSV, XLSX or JSON) on the Knowledge screen.'}</p>
      )}
      {products.data && products.data.total > 0 && (
        <>
          <p className="hint">
            {products.data.total} products
            {products.data.total > products.data.products.length ? `, showing ${page * pageSize + 1} to ${page * pageSize + products.data.products.length}` : ''}.
          </p>
          {products.data.total > pageSize && (
            <div className="actions">
              <button type="button" className="secondary" onClick={() => setPage(page - 1)} disabled={page === 0}>
                Previous
              </button>
              <button type="button" className="secondary" onClick={() => setPage(page + 1)} disabled={(page + 1) * pageSize >= products.data.total}>
                Next
              </button>
            </div>
          )}
          <table className="knowledge-table">
            <thead>
              <tr>
                <th scope="col">{sortButton('sku', 'SKU')}</th>
                <th scope="col">{sortButton('name', 'Name')}</th>
                <th scope="col">{sortButton('price', 'Price')}</th>
                <th scope="col">{sortButton('stock', 'Stock')}</th>
                <th scope="col">Description</th>
              </tr>
            </thead>
            <tbody>
              {products.data.products.map((product) => (
                <tr key={product.id}>
                  <td>{product.sku}</td>
                  <td>{product.url ? <span title={product.url}>{product.name}</span> : product.name}</td>
                  <td>{product.price !== null ? `${product.price}${product.currency ? ` ${product.currency}` : ''}` : ''}</td>
                  <td>{product.stock}</td>
                  <td className="knowledge-description">{product.description?.slice(0, 160)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
