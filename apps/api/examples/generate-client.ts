// Generates TypeScript types for the Covey API from its OpenAPI document (openapi-typescript), file bytes typed as
// Blob. Usage: tsx examples/generate-client.ts <https://covey.example.com/api/openapi.json | openapi.json> <out.d.ts>
import fs from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';

export async function generateClientTypes(source: string | URL | object): Promise<string> {
  const ast = await openapiTS(source as Parameters<typeof openapiTS>[0], {
    // `format: binary` (file downloads, the multipart `file` field) is a Blob, not a string.
    transform: (schema) => (schema.format === 'binary' ? ts.factory.createTypeReferenceNode('Blob') : undefined),
  });
  return astToString(ast);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const [source, out] = process.argv.slice(2);
  if (!source || !out) throw new Error('usage: generate-client.ts <openapi.json URL or file> <out.d.ts>');
  const input = /^https?:/.test(source) ? new URL(source) : JSON.parse(fs.readFileSync(source, 'utf8'));
  fs.writeFileSync(out, await generateClientTypes(input));
  console.log(`wrote ${out}`);
}
