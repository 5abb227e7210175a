import { readFileSync } from 'node:fs';
import AjvModule, { type ErrorObject } from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeDemo } from '../../src/cli/demo/write-demo.js';
import { projects } from '../../src/modules/projects/projects.table.js';
import { json, useTestApp } from '../support/app.js';

const ctx = useTestApp({ PUBLIC_URL: 'https://kpo.example.gov.cn' });
const slow = { timeout: 120_000 };
// CommonJS packages: under NodeNext their default import is the module object, which is the function itself at run time.
const Ajv = AjvModule as unknown as typeof AjvModule.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

// The OC4IDS schemas and codelists, vendored unchanged with their licence (tests/fixtures/oc4ids/README.md):
// the export must satisfy the current release, 0.9.5, and the 0.9.4 it was first written against.
const versions = ['0.9.5', '0.9.4'] as const;
const fixtures = (version: string) => new URL(`../fixtures/oc4ids/${version}/`, import.meta.url);
const readJson = (version: string, name: string) =>
  JSON.parse(readFileSync(new URL(name, fixtures(version)), 'utf8')) as Record<string, unknown>;
const codelists = new Map<string, Set<string>>();
/** A codelist's codes, in every vendored release (a code must be in each). */
function codelist(name: string): { has(code: string): boolean } {
  const sets = versions.map((version) => {
    const key = `${version}/${name}`;
    let set = codelists.get(key);
    if (!set) {
      const rows = parse(readFileSync(new URL(`codelists/${name}`, fixtures(version)), 'utf8'), { columns: true }) as { Code: string }[];
      codelists.set(key, (set = new Set(rows.map((r) => r.Code))));
    }
    return set;
  });
  return { has: (code) => sets.every((set) => set.has(code)) };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- OC4IDS JSON read loosely for assertions
type Json = any;
type Validator = { project: (data: unknown) => boolean; pkg: (data: unknown) => boolean; errors: () => ErrorObject[] | null | undefined };
const validators = new Map<string, Validator>();
/** Valid under every vendored release: the project (or package) validated by each. */
const validateProject = (data: unknown) => versions.every((v) => validators.get(v)!.project(data));
const validatePackage = (data: unknown) => versions.every((v) => validators.get(v)!.pkg(data));
let failed: string | undefined;
const lastErrors = () => (failed ? validators.get(failed)!.errors()?.map((e) => ({ ...e, message: `${failed}: ${e.message}` })) : []);

beforeAll(() => {
  for (const version of versions) {
    const projectSchema = readJson(version, 'project-schema.json');
    const packageSchema = readJson(version, 'project-package-schema.json');
    expect(projectSchema.id).toBe(`https://standard.open-contracting.org/infrastructure/schema/${version.replaceAll('.', '__')}/project-schema.json`);
    // The schemas carry OC4IDS's own keywords (codelist, openCodelist, versionId…), hence strict: false.
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const projectRef = ((packageSchema.properties as Json).projects.items.$ref as string);
    expect(projectRef).toBe(projectSchema.id);
    ajv.addSchema(projectSchema, projectRef);
    const project = ajv.getSchema(projectRef)!;
    const pkg = ajv.compile(packageSchema);
    validators.set(version, {
      project: (data) => (project(data) as boolean) || ((failed = version), false),
      pkg: (data) => (pkg(data) as boolean) || ((failed = version), false),
      errors: () => project.errors ?? pkg.errors,
    });
  }
});

async function seedDemo(): Promise<Map<string, string>> {
  await writeDemo(ctx.testDb.database.db, { reportDueDays: 3 });
  const rows = await ctx.testDb.database.db.select({ id: projects.id, code: projects.code }).from(projects);
  return new Map(rows.map((r) => [r.code, r.id]));
}

async function get(url: string, status = 200): Promise<Json> {
  const response = await ctx.app.inject({ method: 'GET', url });
  expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBe(status);
  return json(response);
}

function expectValid(valid: boolean) {
  expect(valid ? [] : lastErrors()?.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`)).toEqual([]);
}

/** Every value of the OC4IDS codelists a project uses, checked against the CSVs. */
function expectCodelistMembers(project: Json) {
  expect(codelist('projectStatus.csv').has(project.status), project.status).toBe(true);
  expect(codelist('projectType.csv').has(project.type), project.type).toBe(true);
  for (const sector of project.sector ?? []) expect(codelist('projectSector.csv').has(sector), sector).toBe(true);
  for (const party of project.parties) for (const role of party.roles) expect(codelist('partyRole.csv').has(role), role).toBe(true);
  for (const finance of project.budget.finance ?? []) expect(codelist('financingArrangementType.csv').has(finance.type)).toBe(true);
  for (const metric of project.metrics ?? []) expect(codelist('metricID.csv').has(metric.id), metric.id).toBe(true);
}

const metric = (project: Json, id: string) => project.metrics.find((m: Json) => m.id === id);

describe('OC4IDS export', () => {
  it('exports a continuing city key project as OC4IDS project data that the 0.9.5 and 0.9.4 project schemas accept', slow, async () => {
    const ids = await seedDemo();
    const project = await get(`/v1/oc4ids/projects/${ids.get('TZ2022-C01')}`);
    expectValid(validateProject(project));
    expectCodelistMembers(project);

    expect(project.id).toBe(`oc4ids-kpo-${ids.get('TZ2022-C01')}`);
    expect(project.identifiers).toContainEqual({ id: 'TZ2022-C01', scheme: 'kpo-project-code' });
    expect(project).toMatchObject({ title: '中山坦洲高端显示产业园项目', status: 'implementation', type: 'construction', sector: ['economy'], language: 'zh' });
    // 150000.0000 万元 is 1,500,000,000 yuan; the 2022 plan of 15000.0000 万元 is 150,000,000 yuan.
    expect(project.budget.amount).toEqual({ amount: 1500000000, currency: 'CNY' });
    expect(project.budget.budgetBreakdowns[0].budgetBreakdown).toEqual([
      expect.objectContaining({ amount: { amount: 150000000, currency: 'CNY' }, period: { startDate: '2022-01-01T00:00:00+08:00', endDate: '2022-12-31T23:59:59+08:00' } }),
    ]);
    expect(project.publicAuthority.name).toBe('坦洲镇工业和信息化局');
    expect(project.parties).toEqual([
      expect.objectContaining({ id: project.publicAuthority.id, roles: ['publicAuthority'] }),
      expect.objectContaining({ name: '中山坦洲显示科技有限公司', roles: ['buyer', 'procuringEntity'] }),
    ]);
    expect(project.period).toEqual({ startDate: '2021-03-01T00:00:00+08:00', endDate: '2024-12-31T23:59:59+08:00' });
    expect(project.implementationPeriod.startDate).toBe('2021-03-15T00:00:00+08:00');
  });

  it('gives physical and financial progress one observation per report period, with exact yuan to date', slow, async () => {
    const ids = await seedDemo();
    const project = await get(`/v1/oc4ids/projects/${ids.get('TZ2022-C01')}`);
    const periods = ['2022-01-H1', '2022-01-H2', '2022-02-H1', '2022-02-H2', '2022-03-H1', '2022-03-H2', '2022-04-H1'];
    for (const id of ['physicalProgress', 'financialProgress']) {
      const observations = metric(project, id).observations;
      expect(observations.map((o: Json) => o.id)).toEqual(periods.map((p) => `${id}-${p}`));
    }
    const financial = metric(project, 'financialProgress').observations;
    // 800 + 800 + 400 + 0 + 1000.1234 万元 to the first half of March: 3000.1234 万元 = 30,001,234 yuan.
    expect(financial[4]).toMatchObject({
      period: { startDate: '2022-03-01T00:00:00+08:00', endDate: '2022-03-15T23:59:59+08:00' },
      value: { amount: 30001234, currency: 'CNY' },
      measure: 2,
    });
    expect(financial.map((o: Json) => o.value.amount)).toEqual([8000000, 16000000, 20000000, 20000000, 30001234, 40000000, 52000000]);
    // The demo reports carry no physical progress; the periods are still observed, with a note.
    expect(metric(project, 'physicalProgress').observations[0]).toEqual(expect.objectContaining({ notes: expect.stringContaining('not reported') }));
  });

  it('publishes the 2022 city key list as an OC4IDS package that the 0.9.5 and 0.9.4 package schemas accept', slow, async () => {
    await seedDemo();
    const pkg = await get('/v1/oc4ids/package?year=2022&list=city_key');
    expectValid(validatePackage(pkg));
    expect(pkg).toMatchObject({ version: '0.9', uri: 'https://kpo.example.gov.cn/v1/oc4ids/package?year=2022&list=city_key', publisher: { name: expect.any(String) } });
    expect(pkg.projects).toHaveLength(12);
    // The package schema reaches the project schema through its $ref: a bad project fails the package.
    expect(validatePackage({ ...pkg, projects: [{ ...pkg.projects[0], status: 'pipeline' }] })).toBe(false);
    expect(validatePackage({ ...pkg, projects: [{ ...pkg.projects[0], budget: { amount: { amount: '1', currency: 'CNY' } } }] })).toBe(false);
    expect(new Set(pkg.projects.map((p: Json) => p.id)).size).toBe(12);
    expect(pkg.publishedDate).toBe(pkg.projects.map((p: Json) => p.updated).sort().at(-1));
    for (const project of pkg.projects) {
      expectValid(validateProject(project));
      expectCodelistMembers(project);
    }
    const byCode = new Map<string, Json>(pkg.projects.map((p: Json) => [p.identifiers[0].id, p]));
    const estimated = pkg.projects.reduce((sum: bigint, p: Json) => sum + BigInt(p.budget.amount.amount), 0n);
    expect(estimated).toBe(7471000000n); // 747100.0000 万元
    expect(byCode.get('TZ2022-C03')).toMatchObject({ type: 'replacement', sector: ['economy'] });
    expect(byCode.get('TZ2022-C02')).toMatchObject({ sector: ['transport'] });
    expect(byCode.get('TZ2022-C07')).toMatchObject({ status: 'implementation', sector: ['waterAndWaste'] });
    expect(byCode.get('TZ2022-C07')).toMatchObject({
      additionalClassifications: expect.arrayContaining([expect.objectContaining({ scheme: 'kpo-project-status', id: 'suspended', description: expect.stringContaining('2022-04-10') })]),
    });
    expect(byCode.get('TZ2022-N05')).toMatchObject({ status: 'preparation' });
    expect(byCode.get('TZ2022-N05')).not.toHaveProperty('metrics');
    // The node plans (节点计划), judged today: the first new start's 开工 met on its day, its 竣工验收
    // (an approval in OC4IDS terms) planned for 2023 and not met; the parts plant's 开工 not met.
    const n01 = byCode.get('TZ2022-N01')!;
    expect(n01.milestones).toEqual([
      expect.objectContaining({ code: 'start', type: 'delivery', status: 'met', dueDate: '2022-02-16T00:00:00+08:00', dateMet: '2022-02-16T00:00:00+08:00' }),
      expect.objectContaining({ code: 'completion_acceptance', type: 'approval', status: 'notMet', dueDate: '2023-12-31T00:00:00+08:00' }),
    ]);
    expect(n01.milestones[1]).not.toHaveProperty('dateMet');
    expect(n01.milestones[0].title).toContain('开工');
    expect(byCode.get('TZ2022-N05')!.milestones).toEqual([expect.objectContaining({ code: 'start', status: 'notMet' })]);
    expect(byCode.get('TZ2022-C01')).not.toHaveProperty('milestones');
  });

  it('exports granted and pending special bonds as finance of type bond, and leaves rejected ones out', slow, async () => {
    await seedDemo();
    const pkg = await get('/v1/oc4ids/package?year=2022&list=special_bond_reserve');
    expectValid(validatePackage(pkg));
    expect(pkg.projects).toHaveLength(30);
    const byCode = new Map<string, Json>(pkg.projects.map((p: Json) => [p.identifiers[0].id, p]));
    // B01: 2000.0000 万元 granted = 20,000,000 yuan.
    expect(byCode.get('TZ2022-B01').budget.finance).toEqual([
      expect.objectContaining({ type: 'bond', assetClass: ['debt'], value: { amount: 20000000, currency: 'CNY' } }),
    ]);
    expect(byCode.get('TZ2022-B20').budget.finance[0].description).toContain('Pending');
    expect(byCode.get('TZ2022-B22').budget).not.toHaveProperty('finance');
    const financed = pkg.projects.filter((p: Json) => p.budget.finance).length;
    expect(financed).toBe(21);
    expect(byCode.get('TZ2022-B04')).toMatchObject({ sector: ['education'], status: 'preparation' });
    expect(byCode.get('TZ2022-B05')).toMatchObject({ sector: ['health'] });
  });

  it('answers 404 for an unknown project and for a list-year without projects, and 400 for an unknown list', slow, async () => {
    await get('/v1/oc4ids/projects/01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f', 404);
    const empty = await get('/v1/oc4ids/package?year=2030&list=city_key', 404);
    expect(empty.code).toBe('oc4ids_package_empty');
    await get('/v1/oc4ids/package?year=2022&list=nope', 400);
    await get('/v1/oc4ids/package?list=city_key', 400);
  });
});
