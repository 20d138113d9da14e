// The names of the dialects safemix reads, on their own so that the CLI can list them at start-up
// without loading the dialects' schemas (zod).
export const DIALECTS = ['openai-chat', 'prompt-completion', 'alpaca', 'sharegpt', 'gemini', 'bedrock-converse', 'bedrock-claude', 'text', 'fields'] as const;
export type Dialect = (typeof DIALECTS)[number];
