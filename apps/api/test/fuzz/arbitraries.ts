import fc from 'fast-check';

/** JSON Schema (as found in the OpenAPI document) -> fast-check arbitraries of valid and hostile values. */
export type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  default?: unknown;
};

const SQL = ["' OR '1'='1", "'; DROP TABLE users; --", '1 UNION SELECT password_hash FROM users', '\\x27', '%27%20OR%201=1'];
const HTML = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>', 'javascript:alert(1)', '{{7*7}}${7*7}'];
const UNICODE = ['\u0000', '\uD800', '\uFEFF', '\u202Eevil', 'ÅÄÖ 北京 🎉👨‍👩‍👧', 'a\u0301', '\r\n\t', '%00', '../../etc/passwd', 'ext:', 'email:'];

/** Values that are wrong almost everywhere. */
export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1e308, -1e308, 2 ** 53 + 1, 1.5, '', ' ', '0', 'null', 'undefined', 'NaN'),
  fc.constantFrom(...SQL, ...HTML, ...UNICODE),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('9'.repeat(400), 'x'.repeat(5_000), 'é'.repeat(70_000)),
  fc.integer(),
  fc.double(),
);
export const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileScalar },
  fc.array(hostileScalar, { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), hostileScalar, { maxKeys: 4 }),
  fc.constant(Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, i]))),
);

export function resolver(doc: { components?: { schemas?: Record<string, Schema> } }) {
  return (schema: Schema): Schema => {
    if (!schema.$ref) return schema;
    const name = schema.$ref.split('/').pop()!;
    return doc.components?.schemas?.[name] ?? {};
  };
}

/** A value valid for the schema (patterns other than formats are not honoured: those values test validation too). */
export function valid(schema: Schema, resolve: (s: Schema) => Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((a) => valid(a, resolve, depth + 1)));
  if (s.allOf) return valid(s.allOf[0]!, resolve, depth + 1);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      return stringFor(s);
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1000, max: s.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      if (depth > 4) return fc.constant([]);
      return fc.array(valid(s.items ?? {}, resolve, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 3)) });
    case 'object': {
      if (depth > 4 || !s.properties) return fc.constant({});
      const required = new Set(s.required ?? []);
      const entries = Object.entries(s.properties);
      return fc.record(Object.fromEntries(entries.map(([k, v]) => [k, valid(v, resolve, depth + 1)])), {
        requiredKeys: entries.map(([k]) => k).filter((k) => required.has(k)),
      });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringFor(s: Schema): fc.Arbitrary<string> {
  switch (s.format) {
    case 'email':
      return fc.emailAddress();
    case 'uuid':
      return fc.uuid();
    case 'date-time':
      return fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'uri':
      return fc.webUrl();
    default:
      return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 40), unit: 'grapheme' });
  }
}

/** A value for the schema: mostly valid, sometimes one field (or the whole) replaced with something hostile. */
export function anyFor(schema: Schema, resolve: (s: Schema) => Schema): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const good = valid(s, resolve);
  const mutated =
    s.type === 'object' && s.properties
      ? fc.tuple(good, fc.constantFrom(...Object.keys(s.properties), '__proto__', 'role', 'id', 'extra'), hostile).map(([v, key, bad]) => ({
          ...(v as object),
          [key]: bad,
        }))
      : hostile;
  return fc.oneof({ weight: 3, arbitrary: good }, { weight: 3, arbitrary: mutated }, { weight: 1, arbitrary: hostile });
}
