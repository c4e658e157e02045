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
  return (route: SerializerCompiler) => {
    const checked = zodSerializerCompiler(route);
    let fast: (data: unknown) => string;
    try {
      const schema = z.toJSONSchema(route.schema as z.ZodType, { io: 'output', unrepresentable: 'throw', target: 'draft-7' });
      fast = fastJson(schema as Parameters<typeof fastJson>[0]);
    } catch {
      return checked;
    }
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
