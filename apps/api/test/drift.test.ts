import fs from 'node:fs';
import path from 'node:path';
import { getDMMF } from '@prisma/get-dmmf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsDir } from '../src/db/migrate.ts';
import { createTestContext, type TestContext } from './helpers.ts';

/**
 * The migrations and schema.prisma must not drift: every model, field, unique, index and foreign key of the
 * schema exists in a database built by the migrations alone; and every foreign key is served by an index.
 */
let t: TestContext;
type Dmmf = Extract<ReturnType<typeof getDMMF>, { datamodel: unknown }>;
let dmmf: Dmmf;
type Column = { table_name: string; column_name: string; is_nullable: string; data_type: string; udt_name: string };
type Index = { table: string; name: string; unique: boolean; columns: string[] };
type ForeignKey = { table: string; columns: string[]; ref_table: string };
let columns: Column[];
let indexes: Index[];
let foreignKeys: ForeignKey[];

beforeAll(async () => {
  t = await createTestContext();
  const schemaFile = path.resolve(migrationsDir(), '../schema.prisma');
  const result = getDMMF({ datamodel: fs.readFileSync(schemaFile, 'utf8') });
  if (!('datamodel' in result)) throw new Error('schema.prisma does not parse');
  dmmf = result;
  columns = await t.db.query<Column>(
    `SELECT table_name, column_name, is_nullable, data_type, udt_name FROM information_schema.columns WHERE table_schema = 'public'`,
  );
  indexes = await t.db.query<Index>(`
    SELECT t.relname AS table, i.relname AS name, ix.indisunique AS unique,
      array_agg(a.attname::text ORDER BY k.ord) AS columns
    FROM pg_index ix
    JOIN pg_class t ON t.oid = ix.indrelid
    JOIN pg_class i ON i.oid = ix.indexrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
    CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
    GROUP BY t.relname, i.relname, ix.indisunique`);
  foreignKeys = await t.db.query<ForeignKey>(`
    SELECT t.relname AS table, array_agg(a.attname::text ORDER BY k.ord) AS columns, r.relname AS ref_table
    FROM pg_constraint c
    JOIN pg_class t ON t.oid = c.conrelid
    JOIN pg_class r ON r.oid = c.confrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
    CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
    WHERE c.contype = 'f'
    GROUP BY c.oid, t.relname, r.relname`);
});
afterAll(async () => t?.close());

const expectedType: Record<string, (c: Column, native?: string) => boolean> = {
  String: (c, native) => (native === 'Uuid' ? c.udt_name === 'uuid' : c.udt_name === 'text'),
  Int: (c) => c.udt_name === 'int4',
  Boolean: (c) => c.udt_name === 'bool',
  DateTime: (c, native) => (native === 'Date' ? c.udt_name === 'date' : c.udt_name === 'timestamptz'),
  Json: (c) => c.udt_name === 'jsonb',
};

describe('schema.prisma and the migrations', () => {
  it('has every model as a table and every field as a column of the right type and nullability', () => {
    const problems: string[] = [];
    for (const model of dmmf.datamodel.models) {
      const table = model.dbName ?? model.name;
      const tableColumns = columns.filter((c) => c.table_name === table);
      if (!tableColumns.length) {
        problems.push(`missing table ${table}`);
        continue;
      }
      for (const field of model.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum')) {
        const name = field.dbName ?? field.name;
        const column = tableColumns.find((c) => c.column_name === name);
        if (!column) {
          problems.push(`missing column ${table}.${name}`);
          continue;
        }
        if (field.isList) {
          if (column.data_type !== 'ARRAY') problems.push(`${table}.${name} should be an array`);
        } else if (field.kind === 'enum') {
          if (column.udt_name !== field.type) problems.push(`${table}.${name} should be enum ${field.type}`);
        } else {
          const check = expectedType[field.type];
          const native = (field.nativeType as [string, unknown] | null | undefined)?.[0];
          if (!check || !check(column, native)) problems.push(`${table}.${name}: ${field.type} vs ${column.udt_name}`);
        }
        // Prisma creates scalar lists as nullable arrays.
        if (!field.isList && (column.is_nullable === 'NO') !== field.isRequired)
          problems.push(`${table}.${name} nullability differs`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has every id, unique and index of the schema', () => {
    const problems: string[] = [];
    for (const index of dmmf.datamodel.indexes) {
      const model = dmmf.datamodel.models.find((m) => m.name === index.model)!;
      const table = model.dbName ?? model.name;
      const wanted = index.fields.map((f) => {
        const field = model.fields.find((x) => x.name === f.name)!;
        return field.dbName ?? field.name;
      });
      const found = indexes.find(
        (i) => i.table === table && JSON.stringify(i.columns) === JSON.stringify(wanted) && (index.type === 'normal' || i.unique),
      );
      if (!found) problems.push(`${index.type} index on ${table}(${wanted.join(', ')})`);
    }
    expect(problems).toEqual([]);
  });

  it('has every relation as a foreign key, each served by an index', () => {
    const problems: string[] = [];
    for (const model of dmmf.datamodel.models) {
      const table = model.dbName ?? model.name;
      for (const field of model.fields.filter((f) => f.kind === 'object' && f.relationFromFields?.length)) {
        const cols = field.relationFromFields!.map((n) => {
          const f = model.fields.find((x) => x.name === n)!;
          return f.dbName ?? f.name;
        });
        const target = dmmf.datamodel.models.find((m) => m.name === field.type)!;
        const fk = foreignKeys.find(
          (k) => k.table === table && k.ref_table === (target.dbName ?? target.name) && JSON.stringify(k.columns) === JSON.stringify(cols),
        );
        if (!fk) problems.push(`foreign key ${table}(${cols.join(', ')})`);
        const indexed = indexes.some((i) => i.table === table && JSON.stringify(i.columns.slice(0, cols.length)) === JSON.stringify(cols));
        if (!indexed) problems.push(`no index leads with ${table}(${cols.join(', ')})`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('records applied migrations the way prisma migrate does', async () => {
    const rows = await t.db.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"',
    );
    const names = fs.readdirSync(migrationsDir()).filter((n) => fs.existsSync(path.join(migrationsDir(), n, 'migration.sql')));
    expect(rows.map((r) => r.migration_name).sort()).toEqual(names.sort());
    expect(rows.every((r) => r.finished_at && /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
  });
});
