// A bounded memo of a pure one-argument function: results are kept in a Map that is emptied when it
// reaches `limit` entries, so repeated arguments cost one lookup and memory stays bounded whatever
// the input. Pure given a pure function; no I/O.

export function boundedMemo<K, V>(limit: number, compute: (key: K) => V): (key: K) => V {
  const kept = new Map<K, V>();
  return (key) => {
    let value = kept.get(key);
    if (value === undefined && !kept.has(key)) {
      if (kept.size >= limit) kept.clear();
      value = compute(key);
      kept.set(key, value);
    }
    return value as V;
  };
}
