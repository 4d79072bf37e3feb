/**
 * The vectors of a session's most recent search queries. The agent and the search playground ask
 * the same question again and again (every keystroke pause, every retry), and embedding it costs
 * a model run in the worker (~10 ms for a MiniLM-sized model here, far more under load). Kept per
 * session and cleared on lock: a query is tenant data.
 */
export class QueryVectorCache {
  readonly capacity: number;
  // A Map iterates in insertion order, so re-inserting on use makes its first key the least recent.
  readonly #vectors = new Map<string, Promise<Float32Array>>();

  constructor(capacity = 256) {
    this.capacity = capacity;
  }

  /** The cached vector of `query`, or `embed(query)` (computed once even when asked twice at the same time). */
  vector(query: string, embed: (query: string) => Promise<Float32Array>): Promise<Float32Array> {
    let vector = this.#vectors.get(query);
    if (vector) this.#vectors.delete(query);
    else {
      const computing = embed(query);
      computing.catch(() => {
        if (this.#vectors.get(query) === computing) this.#vectors.delete(query);
      });
      vector = computing;
    }
    this.#vectors.set(query, vector);
    if (this.#vectors.size > this.capacity) this.#vectors.delete(this.#vectors.keys().next().value!);
    return vector;
  }

  clear(): void {
    this.#vectors.clear();
  }
}
