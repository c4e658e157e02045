import { getAttr, keyOf, matches } from './evaluate.ts';
import { parsePatchPath, type Filter } from './filter.ts';
import { ScimError } from './scim-error.ts';
import { URN, type PatchSchema } from './schemas.ts';

/**
 * PATCH (RFC 7644 section 3.5.2) applied to a resource's SCIM JSON: the result is then saved like a PUT.
 * Tolerates what the big clients send: capitalised ops (Entra), path-less ops whose value keys are paths
 * ("name.givenName", URN-qualified extension attributes), `remove` of members with a value list (Entra), a
 * read-only attribute given its current value (Okta renames a group with `{ id, displayName }`).
 * A path naming no attribute of the resource is an invalidPath; a change to a read-only one, a mutability error.
 */
type Json = Record<string, unknown>;
export type PatchOperation = { op: 'add' | 'replace' | 'remove'; path?: string; value?: unknown };

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const coreUrns = [URN.user, URN.group].map((u) => u.toLowerCase());

export function readOperations(body: unknown): PatchOperation[] {
  const ops = isObject(body) ? getAttr(body, 'Operations') : undefined;
  if (!Array.isArray(ops) || ops.length === 0)
    throw new ScimError(400, 'A PatchOp needs a non-empty "Operations" array.', 'invalidSyntax');
  return ops.map((raw, i) => {
    if (!isObject(raw)) throw new ScimError(400, `Operations[${i}] is not an object.`, 'invalidSyntax');
    const rawOp = getAttr(raw, 'op');
    const op = typeof rawOp === 'string' ? rawOp.toLowerCase() : '';
    if (op !== 'add' && op !== 'replace' && op !== 'remove')
      throw new ScimError(400, `Operations[${i}].op must be add, replace or remove.`, 'invalidSyntax');
    const path = getAttr(raw, 'path');
    if (path !== undefined && typeof path !== 'string')
      throw new ScimError(400, `Operations[${i}].path must be a string.`, 'invalidPath');
    return { op, path: path?.trim() || undefined, value: getAttr(raw, 'value') };
  });
}

export function applyPatch(resource: Json, operations: PatchOperation[], schema: PatchSchema): Json {
  const doc = structuredClone(resource);
  const extensions = Object.keys(schema.extensions);
  for (const operation of operations) {
    if (operation.path) {
      applyAt(doc, operation.op, operation.path, operation.value, schema);
      continue;
    }
    if (operation.op === 'remove') throw new ScimError(400, '"remove" needs a path.', 'noTarget');
    if (!isObject(operation.value))
      throw new ScimError(400, `A path-less "${operation.op}" needs an object value.`, 'invalidValue');
    for (const [key, value] of Object.entries(operation.value)) {
      if (key.toLowerCase() === 'schemas') continue;
      const extension = extensions.find((e) => e.toLowerCase() === key.toLowerCase());
      if (extension && isObject(value)) {
        for (const [sub, subValue] of Object.entries(value))
          applyAt(doc, operation.op, `${extension}:${sub}`, subValue, schema);
      } else {
        applyAt(doc, operation.op, key, value, schema);
      }
    }
  }
  return doc;
}

function setKey(object: Json, name: string, value: unknown) {
  object[keyOf(object, name) ?? name] = value;
}

function deleteKey(object: Json, name: string) {
  const key = keyOf(object, name);
  if (key !== undefined) delete object[key];
}

const sameItem = (a: unknown, b: unknown) =>
  isObject(a) && isObject(b) && getAttr(a, 'value') !== undefined
    ? String(getAttr(a, 'value')) === String(getAttr(b, 'value'))
    : JSON.stringify(a) === JSON.stringify(b);

/** Does `value` say nothing new about `current`? (A read-only attribute may be given as it is.) */
function same(current: unknown, value: unknown): boolean {
  if (value === undefined || value === null) return current === undefined || current === null;
  if (Array.isArray(value))
    return Array.isArray(current)
      ? value.length === current.length && value.every((v, i) => same(current[i], v))
      : !value.length && current === undefined;
  if (isObject(value))
    return isObject(current) && Object.entries(value).every(([k, v]) => same(getAttr(current, k), v));
  const text = (v: unknown) =>
    typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
  return text(current) !== undefined && text(current) === text(value);
}

/** The attribute (and sub-attribute) a path names must exist in the resource's schema. */
function checkPath(schema: PatchSchema, pathText: string, scope: string | undefined, attr: string, sub?: string) {
  const attributes = scope ? (schema.extensions[scope] ?? {}) : schema.attributes;
  const subs = attributes[attr.toLowerCase()];
  if (subs === undefined || (sub !== undefined && !subs?.includes(sub.toLowerCase())))
    throw new ScimError(400, `"${pathText}" is not an attribute of this resource.`, 'invalidPath');
}

function applyAt(doc: Json, op: PatchOperation['op'], pathText: string, value: unknown, schema: PatchSchema) {
  const { path, filter, sub: filterSub } = parsePatchPath(pathText);
  let container = doc;
  const extension =
    path.uri && !coreUrns.includes(path.uri.toLowerCase())
      ? Object.keys(schema.extensions).find((e) => e.toLowerCase() === path.uri?.toLowerCase())
      : undefined;
  if (path.uri && !coreUrns.includes(path.uri.toLowerCase()) && !extension)
    throw new ScimError(400, `Unknown schema "${path.uri}".`, 'invalidPath');
  checkPath(schema, pathText, extension, path.attr, path.sub ?? filterSub);
  if (!extension && schema.readOnly.includes(path.attr.toLowerCase())) {
    const current = getAttr(doc, path.attr);
    const target = path.sub && isObject(current) ? getAttr(current, path.sub) : current;
    const unchanged = !filter && (op === 'remove' ? target === undefined : same(target, value));
    if (unchanged) return;
    throw new ScimError(400, `"${pathText}" is read-only.`, 'mutability');
  }
  if (extension) {
    const existing = getAttr(doc, extension);
    if (!isObject(existing)) {
      if (op === 'remove') return;
      setKey(doc, extension, {});
    }
    container = getAttr(doc, extension) as Json;
  }
  if (filter) return applyFiltered(container, op, path.attr, filter, filterSub, value);

  const current = getAttr(container, path.attr);
  if (path.sub) {
    const targets = Array.isArray(current) ? current.filter(isObject) : isObject(current) ? [current] : [];
    if (!targets.length) {
      if (op === 'remove') return;
      const created: Json = {};
      setKey(container, path.attr, created);
      targets.push(created);
    }
    for (const target of targets) {
      if (op === 'remove') deleteKey(target, path.sub);
      else setKey(target, path.sub, value);
    }
    return;
  }

  if (op === 'remove') {
    // Entra removes members as {"op":"remove","path":"members","value":[{"value":"<id>"}]}.
    if (Array.isArray(current) && Array.isArray(value) && value.length) {
      setKey(
        container,
        path.attr,
        current.filter((item) => !value.some((v) => sameItem(item, v))),
      );
    } else {
      deleteKey(container, path.attr);
    }
    return;
  }
  if (Array.isArray(current) || (Array.isArray(value) && current === undefined)) {
    const incoming = Array.isArray(value) ? value : [value];
    if (op === 'replace') return setKey(container, path.attr, incoming);
    const merged = [...((current as unknown[] | undefined) ?? [])];
    for (const item of incoming) if (!merged.some((m) => sameItem(m, item))) merged.push(item);
    return setKey(container, path.attr, merged);
  }
  if (isObject(current) && isObject(value)) return setKey(container, path.attr, { ...current, ...value });
  setKey(container, path.attr, value);
}

function applyFiltered(
  container: Json,
  op: PatchOperation['op'],
  attr: string,
  filter: Filter,
  sub: string | undefined,
  value: unknown,
) {
  const current = getAttr(container, attr);
  const list: unknown[] = Array.isArray(current) ? [...(current as unknown[])] : [];
  const hits = list.filter((item) => isObject(item) && matches(item, filter)) as Json[];
  if (op === 'remove') {
    if (sub) hits.forEach((item) => deleteKey(item, sub));
    else
      setKey(
        container,
        attr,
        list.filter((item) => !hits.includes(item as Json)),
      );
    return;
  }
  if (!hits.length) {
    // `emails[type eq "work"].value` on a user without a work e-mail creates it, as Entra expects.
    if (filter.op !== 'eq' || filter.path.sub || filter.path.uri)
      throw new ScimError(400, `No value of "${attr}" matches the filter.`, 'noTarget');
    const created: Json = { [filter.path.attr]: filter.value };
    if (sub) created[sub] = value;
    else if (isObject(value)) Object.assign(created, value);
    setKey(container, attr, [...list, created]);
    return;
  }
  for (const item of hits) {
    if (sub) setKey(item, sub, value);
    else if (isObject(value)) for (const [k, v] of Object.entries(value)) setKey(item, k, v);
    else throw new ScimError(400, `The value for "${attr}[...]" must be an object.`, 'invalidValue');
  }
}
