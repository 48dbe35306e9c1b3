// Usage: node audit.mjs http://127.0.0.1:5080/graphql
// Prints one JSON object: { ok, warn, error, results: [{ status, name, reason? }] }.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql url>');
  process.exit(2);
}

const results = await auditServer({ url });
const summary = { ok: 0, warn: 0, error: 0, results: [] };
for (const result of results) {
  summary[result.status]++;
  const entry = { status: result.status, name: result.name };
  if (result.status !== 'ok') {
    entry.reason = result.reason;
    try {
      entry.response = await result.response.text();
    } catch {
      // the body may already have been read by the audit itself
    }
  }
  summary.results.push(entry);
}
console.log(JSON.stringify(summary, null, 2));
