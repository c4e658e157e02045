import { getAttr, keyOf, matches } from './evaluate.ts';
import { parsePatchPath, type Filter } from './filter.ts';
import { ScimError } from './scim-error.ts';
import { URN } from './schemas.ts';

/**
 * PATCH (RFC 7644 section 3.5.2) applied to a resource's SCIM JSON: the result is then saved like a PUT.
 * Tolerates what the big clients send: capitalised ops (Entra), path-less ops whose value keys are paths
 * ("name.givenName", URN-qualified extension attributes), `remove` of members with a value list (Entra).
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

export function applyPatch(resource: Json, operations: PatchOperation[], extensions: string[]): Json {
  const doc = structuredClone(resource);
  for (const operation of operations) {
    if (operation.path) {
      applyAt(doc, operation.op, operation.path, operation.value, extensions);
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
          applyAt(doc, operation.op, `${extension}:${sub}`, subValue, extensions);
      } else {
        applyAt(doc, operation.op, key, value, extensions);
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

function applyAt(doc: Json, op: PatchOperation['op'], pathText: string, value: unknown, extensions: string[]) {
  const { path, filter, sub: filterSub } = parsePatchPath(pathText);
  let container = doc;
  if (path.uri && !coreUrns.includes(path.uri.toLowerCase())) {
    const extension = extensions.find((e) => e.toLowerCase() === path.uri?.toLowerCase());
    if (!extension) throw new ScimError(400, `Unknown schema "${path.uri}".`, 'invalidPath');
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
