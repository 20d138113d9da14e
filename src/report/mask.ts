// What a page may show of a run's facts: endpoint addresses cut to scheme and host, and anything that
// looks like an API key or a bearer token masked. Pure.

/** An endpoint as the page shows it: scheme and host, no path, query or credentials. */
export function maskEndpoint(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '(endpoint)';
  }
}

/** API keys and bearer tokens in a run's text, masked. */
export function maskKeys(text: string): string {
  return text.replace(/\b(sk|pk|rk)-[A-Za-z0-9_-]{8,}/g, '$1-…').replace(/\bBearer\s+\S+/gi, 'Bearer …');
}
