import { join, relative } from 'node:path';
import ts from 'typescript';
import { root } from '../helpers/processes';

// The public API's TSDoc, read the way editors and doc generators read it: through the compiler,
// every name lib/index.ts exports followed to its declaration. Each must have a summary and an
// `@example`, and each example must type-check against the real API, so examples cannot drift.

const index = join(root, 'lib', 'index.ts');
const { options } = ts.parseJsonConfigFileContent(ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile).config, ts.sys, root);
const program = ts.createProgram([index], { ...options, noEmit: true });
const checker = program.getTypeChecker();

interface Documented {
  readonly name: string;
  readonly declaredAt: string;
  readonly isType: boolean;
  readonly summary: string;
  readonly examples: readonly string[];
}

/** The TSDoc block right above a declaration (for overloads, the first one that has one). */
function docOf(declaration: ts.Declaration): ts.JSDoc | undefined {
  const docs = ts.getJSDocCommentsAndTags(declaration).filter(ts.isJSDoc);
  return docs[docs.length - 1];
}

const exported: Documented[] = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(index)!)!).map((symbol) => {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const declarations = target.declarations ?? [];
  const doc = declarations.map(docOf).find((found) => found !== undefined);
  const first = declarations[0];
  return {
    name: symbol.name,
    declaredAt: first === undefined ? '?' : `${relative(root, first.getSourceFile().fileName)}:${first.getSourceFile().getLineAndCharacterOfPosition(first.getStart()).line + 1}`,
    isType: (target.flags & ts.SymbolFlags.Value) === 0,
    summary: ts.getTextOfJSDocComment(doc?.comment)?.trim() ?? '',
    examples: (doc?.tags ?? []).filter((tag) => tag.tagName.text === 'example').map((tag) => ts.getTextOfJSDocComment(tag.comment) ?? ''),
  };
});

/** The TypeScript of an `@example`: its ```ts fenced blocks. */
const codeOf = (example: string): string => [...example.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string).join('\n');

/**
 * Names examples may use without declaring them: the package's exports, the peer dependencies,
 * and the demo's function, wrapped and swapped. Each is left out when an example declares the
 * name itself, and so is whatever is built from it.
 */
function prelude(declared: ReadonlySet<string>): string {
  const entries: Array<{ name: string; needs: string[]; code: string }> = [
    { name: 'Type', needs: [], code: "import { Type } from '@sinclair/typebox';" },
    { name: 'Static', needs: [], code: "import type { Static } from '@sinclair/typebox';" },
    { name: 'winston', needs: [], code: "import winston from 'winston';" },
    { name: 'OpenAI', needs: [], code: "import OpenAI from 'openai';" },
    ...exported.map(({ name, isType }) => ({ name, needs: [], code: `import ${isType ? 'type ' : ''}{ ${name} } from 'fn-distil';` })),
    {
      name: 'Multiply',
      needs: ['Type'],
      code: "const Multiply = Type.Object({ a: Type.Integer(), b: Type.Integer(), result: Type.Integer() }, { $id: 'Multiply', description: 'The product of two integers' });",
    },
    { name: 'multiplyImpl', needs: [], code: 'const multiplyImpl = (a: number, b: number) => ({ a, b, result: a * b });' },
    {
      name: 'multiply',
      needs: ['distil', 'multiplyImpl', 'Multiply', 'winston'],
      code: "const multiply = distil(multiplyImpl, Multiply, { name: 'three_digit_multiply', transports: [new winston.transports.File({ filename: 'math_finetunes.jsonl' })] });",
    },
    { name: 'fast', needs: ['swap', 'multiply'], code: "const fast = swap(multiply, { model: 'ft:gpt-4o-mini-2024-07-18:acme::abc123' });" },
  ];
  const dropped = new Set(declared);
  for (const entry of entries) if (entry.needs.some((need) => dropped.has(need))) dropped.add(entry.name);
  return entries.filter((entry) => !dropped.has(entry.name)).map((entry) => entry.code).join('\n');
}

/** Names a piece of code declares at its top level (imports, variables, functions, classes, types). */
function topLevelNames(code: string): Set<string> {
  const names = new Set<string>();
  const bind = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  for (const statement of ts.createSourceFile('example.ts', code, ts.ScriptTarget.ES2022).statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name !== undefined) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings !== undefined && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings !== undefined && ts.isNamedImports(bindings)) for (const element of bindings.elements) names.add(element.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) bind(declaration.name);
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) && statement.name !== undefined) {
      names.add(statement.name.text);
    }
  }
  return names;
}

describe("the public API's TSDoc", () => {
  it('reads every name lib/index.ts exports, values and types', () => {
    const names = exported.map(({ name }) => name);
    expect(names.length).toBeGreaterThan(60);
    expect(names).toEqual(expect.arrayContaining(['distil', 'swap', 'SwapError', 'isFnDistilError', 'SwapOptions', 'Percentiles', 'JsonSchema', 'CheckId']));
    expect(exported.find(({ name }) => name === 'swap')?.declaredAt).toMatch(/^lib\/swap\/swap\.ts:\d+$/);
  });

  it('gives every exported name a summary and an @example with TypeScript in it', () => {
    const lacking = exported
      .filter(({ summary, examples }) => summary === '' || examples.length === 0 || examples.some((example) => codeOf(example).trim() === ''))
      .map(({ name, declaredAt, summary, examples }) => `${name} (${declaredAt}): ${summary === '' ? 'no summary' : examples.length === 0 ? 'no @example' : 'an @example without a ```ts block'}`);
    expect(lacking).toEqual([]);
  });

  it('has examples that type-check against the real API', () => {
    const dir = join(root, '.scratch', 'tsdoc-examples');
    const files = new Map<string, string>();
    exported.forEach(({ name, examples }, i) => {
      examples.forEach((example, n) => {
        const code = codeOf(example);
        // Numbered, since names differ only in case (DatasetStats, datasetStats). `export {}` makes
        // each file a module, so top-level await works and names stay apart.
        files.set(join(dir, `${i}-${name}${n === 0 ? '' : `-${n + 1}`}.ts`), `${prelude(topLevelNames(code))}\n// ---- the example ----\n${code}\nexport {};\n`);
      });
    });
    // A control beside them: an example that misuses the API must fail, so a prelude or module
    // resolution that let everything through as `any` could not pass for type-checked examples.
    const control = join(dir, 'control.ts');
    files.set(control, `${prelude(new Set())}\nswap(multiply, { model: 133 });\nfast.stats().agreement.exactly;\nexport {};\n`);
    const host = ts.createCompilerHost(options);
    const { getSourceFile, fileExists, readFile } = host;
    host.fileExists = (file) => files.has(file) || fileExists.call(host, file);
    host.readFile = (file) => files.get(file) ?? readFile.call(host, file);
    host.getSourceFile = (file, language, ...rest) => {
      const text = files.get(file);
      return text === undefined ? getSourceFile.call(host, file, language, ...rest) : ts.createSourceFile(file, text, language);
    };
    const examples = ts.createProgram({ rootNames: [...files.keys()], options: { ...options, noEmit: true }, host, oldProgram: program });
    const diagnose = (file: string): string[] =>
      ts.getPreEmitDiagnostics(examples, examples.getSourceFile(file)).map((diagnostic) => {
        const at = diagnostic.file !== undefined && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : undefined;
        const line = at === undefined ? '' : diagnostic.file?.text.split('\n')[at.line]?.trim();
        return `${relative(dir, file)}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')} (at: ${line})`;
      });
    expect(diagnose(control)).toEqual([
      expect.stringMatching(/^control\.ts: Type 'number' is not assignable to type 'string'/),
      expect.stringMatching(/^control\.ts: Property 'exactly' does not exist/),
    ]);
    const problems = [...files.keys()].filter((file) => file !== control).flatMap(diagnose);
    expect(problems).toEqual([]);
    expect(files.size).toBeGreaterThan(exported.length);
  });
});
