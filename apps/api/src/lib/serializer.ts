import { isDeepStrictEqual } from 'node:util';
import fastJson from 'fast-json-stringify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

type SerializerCompiler = Parameters<typeof zodSerializerCompiler>[0];

/**
 * Responses are written by fast-json-stringify, compiled once per route and status from the response's zod schema
 * (its output side): only declared properties leave the server, without running zod over every response. With
 * `strict` (tests, development) zod's own serializer runs as well and both must give the same document, so every
 * API test also checks the fast path against the schema. A schema JSON Schema cannot express keeps zod's serializer.
 */
export function responseSerializerCompiler(strict: boolean) {
  // One serializer per schema, not per route and status: the problem document of every error status of every route
  // is one schema, and fast-json-stringify's compiled functions (their source kept by V8) took ~20 MB of the heap
  // when the API compiled 962 of them.
  const compiled = new WeakMap<object, ((data: unknown) => string) | null>();
  const compile = (schema: z.ZodType) => {
    let fast = compiled.get(schema);
    if (fast === undefined) {
      try {
        const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'throw', target: 'draft-7' });
        fast = fastJson(nullableAsTypes(json) as Parameters<typeof fastJson>[0]);
      } catch {
        fast = null;
      }
      compiled.set(schema, fast);
    }
    return fast;
  };
  return (route: SerializerCompiler) => {
    const checked = zodSerializerCompiler(route);
    const fast = compile(route.schema as z.ZodType);
    if (!fast) return checked;
    if (!strict) return fast;
    return (data: unknown) => {
      const expected = checked(data);
      const written = fast(data);
      if (!isDeepStrictEqual(JSON.parse(written), JSON.parse(expected)))
        throw new Error(`The fast serializer of ${route.method} ${route.url} disagrees with its schema:\n${written}\n${expected}`);
      return written;
    };
  };
}

const PRIMITIVE = new Set(['string', 'number', 'integer', 'boolean']);

/**
 * zod writes a nullable primitive as `anyOf: [{ type: 'string', ... }, { type: 'null' }]`, and fast-json-stringify
 * picks an anyOf branch by validating the value against each (Ajv, with the branch's pattern: the UUID pattern of
 * every id of every post of a feed page). As `type: ['string', 'null']` it writes the same JSON with a typeof check, a
 * third less work for a feed page. Only the serializer's copy changes; the document keeps zod's form.
 */
export function nullableAsTypes(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(nullableAsTypes);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) out[key] = nullableAsTypes(value);
  const branches = out.anyOf;
  if (Array.isArray(branches) && branches.length === 2) {
    const isNull = (b: Record<string, unknown>) => b.type === 'null' && Object.keys(b).length === 1;
    const nullAt = branches.findIndex(isNull);
    const other = branches[1 - nullAt] as Record<string, unknown> | undefined;
    if (nullAt >= 0 && other && typeof other.type === 'string' && PRIMITIVE.has(other.type)) {
      const { anyOf: _anyOf, ...rest } = out;
      return { ...rest, ...other, type: [other.type, 'null'] };
    }
  }
  return out;
}
