import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppError } from '../../../src/shared/errors';
import { DEFAULT_MAX_PASSAGE_LENGTH } from '../../../src/knowledge/policy-document';
import {
  findBuiltInPolicyDirectory,
  loadPolicyLibrary,
  PolicyLibrary,
} from '../../../src/knowledge/policy-library';

const REPOSITORY = path.resolve(__dirname, '../../..');
const BUILT_IN_DIRECTORY = path.join(REPOSITORY, 'src/knowledge/policies');

const temporaryFolders: string[] = [];

function temporaryFolder(files: Record<string, string> = {}): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'policies-'));
  temporaryFolders.push(folder);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    writeFileSync(path.join(folder, name), content);
  }
  return folder;
}

async function loadError(options: Parameters<typeof loadPolicyLibrary>[0]): Promise<AppError> {
  try {
    await loadPolicyLibrary(options);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected loading to fail');
}

afterAll(() => {
  for (const folder of temporaryFolders) rmSync(folder, { recursive: true, force: true });
});

describe('loadPolicyLibrary with the built-in documents', () => {
  it('returns the seven company policies from src/knowledge/policies', async () => {
    const library = await loadPolicyLibrary();

    expect(library.directory).toBe(BUILT_IN_DIRECTORY);
    expect(library.documents.map((document) => document.id)).toEqual([
      'cancellations-and-order-changes',
      'payments-and-gift-cards',
      'privacy-and-verification',
      'returns-and-refunds',
      'shipping-and-delivery',
      'talking-to-a-person',
      'warranty',
    ]);
  });

  it('returns documents that each state an id and a last-updated date in their header', async () => {
    const library = await loadPolicyLibrary();

    for (const document of library.documents) {
      expect(document.updated).toMatch(/^2026-\d{2}-\d{2}$/);
      expect(document.title.length).toBeGreaterThan(3);
    }
  });

  it('returns passages no longer than the default limit, each naming its document and section', async () => {
    const library = await loadPolicyLibrary();

    expect(library.passages.length).toBeGreaterThan(40);
    for (const passage of library.passages) {
      expect(passage.text.length).toBeLessThanOrEqual(DEFAULT_MAX_PASSAGE_LENGTH);
      expect(passage.text.trim().length).toBeGreaterThan(50);
      expect(library.document(passage.documentId)?.title).toBe(passage.documentTitle);
      expect(passage.section.length).toBeGreaterThan(0);
    }
  });

  it('returns focused documents of roughly 300 to 900 words', async () => {
    const library = await loadPolicyLibrary();

    for (const document of library.documents) {
      const words = document.passages
        .map((passage) => passage.text)
        .join(' ')
        .split(/\s+/).length;
      expect({ document: document.id, inRange: words >= 300 && words <= 900 }).toEqual({
        document: document.id,
        inRange: true,
      });
    }
  });
});

describe('loadPolicyLibrary with a custom folder', () => {
  it('returns the markdown documents of the folder, ignoring other files and subfolders', async () => {
    const folder = temporaryFolder({
      'b-returns.md': '# Returns\n\n## Window\n\nReturns are accepted for 60 days.',
      'a-shipping.md':
        '---\nid: delivery\nupdated: 2025-01-31\n---\n# Delivery\n\n## Times\n\nWe ship in 2 days.',
      'notes.txt': 'not a policy',
      'archive/old.md': '# Old\n\n## Gone\n\nNo longer applies.',
    });

    const library = await loadPolicyLibrary({ directory: folder });

    expect(library.directory).toBe(folder);
    expect(
      library.documents.map((document) => [document.id, document.title, document.updated]),
    ).toEqual([
      ['delivery', 'Delivery', '2025-01-31'],
      ['b-returns', 'Returns', null],
    ]);
    expect(library.passages.map((passage) => passage.text)).toEqual([
      'We ship in 2 days.',
      'Returns are accepted for 60 days.',
    ]);
  });

  it('resolves a relative folder from the working directory', async () => {
    const folder = temporaryFolder({ 'faq.md': '# FAQ\n\n## Hours\n\nOpen daily.' });

    const library = await loadPolicyLibrary({ directory: path.relative(process.cwd(), folder) });

    expect(library.directory).toBe(folder);
  });

  it('honours a custom passage length', async () => {
    const long = Array.from(
      { length: 10 },
      (_, index) => `Rule ${index} is written out in full here.`,
    ).join('\n\n');
    const folder = temporaryFolder({ 'rules.md': `# Rules\n\n## All\n\n${long}` });

    const library = await loadPolicyLibrary({ directory: folder, maxPassageLength: 150 });

    expect(library.passages.length).toBeGreaterThan(2);
    expect(library.passages.every((passage) => passage.text.length <= 150)).toBe(true);
  });

  it('throws config_invalid naming the folder when it does not exist', async () => {
    const missing = path.join(tmpdir(), 'no-such-policy-folder-7f3a');

    const error = await loadError({ directory: missing });

    expect(error.code).toBe('config_invalid');
    expect(error.message).toContain(missing);
    expect(error.message).toContain('POLICY_DOCUMENTS_DIR');
  });

  it('throws config_invalid when the path is a file, not a folder', async () => {
    const folder = temporaryFolder({ 'policy.md': '# P\n\n## S\n\nText.' });

    const error = await loadError({ directory: path.join(folder, 'policy.md') });

    expect(error.code).toBe('config_invalid');
    expect(error.message).toContain('not a folder');
  });

  it('throws config_invalid when the folder holds no markdown', async () => {
    const folder = temporaryFolder({ 'readme.txt': 'policies go here' });

    const error = await loadError({ directory: folder });

    expect(error.code).toBe('config_invalid');
    expect(error.message).toContain('has no .md files');
  });

  it('throws config_invalid when two documents share an id', async () => {
    const folder = temporaryFolder({
      'one.md': '---\nid: returns\n---\n# One\n\n## S\n\nText one.',
      'two.md': '---\nid: returns\n---\n# Two\n\n## S\n\nText two.',
    });

    const error = await loadError({ directory: folder });

    expect(error.code).toBe('config_invalid');
    expect(error.message).toContain('"returns"');
  });

  it('throws config_invalid naming the file when one document is broken', async () => {
    const folder = temporaryFolder({
      'good.md': '# Good\n\n## S\n\nText.',
      'bad.md': '# Bad\n\n## Only a heading\n',
    });

    const error = await loadError({ directory: folder });

    expect(error.code).toBe('config_invalid');
    expect(error.message).toContain('bad.md');
  });
});

describe('PolicyLibrary', () => {
  it('finds a document by id and returns undefined for an unknown id', async () => {
    const library = await loadPolicyLibrary();

    expect(library.document('warranty')?.title).toBe('Warranty');
    expect(library.document('nope')).toBeUndefined();
    expect(library).toBeInstanceOf(PolicyLibrary);
  });
});

describe('findBuiltInPolicyDirectory', () => {
  it('returns the policies folder next to the module when run from src', () => {
    expect(findBuiltInPolicyDirectory(path.join(REPOSITORY, 'src/knowledge'))).toBe(
      BUILT_IN_DIRECTORY,
    );
  });

  it('walks up from a compiled dist/knowledge folder to src/knowledge/policies', () => {
    const repository = temporaryFolder({
      'src/knowledge/policies/returns.md': '# R\n\n## S\n\nText.',
    });
    mkdirSync(path.join(repository, 'dist/knowledge'), { recursive: true });

    expect(findBuiltInPolicyDirectory(path.join(repository, 'dist/knowledge'))).toBe(
      path.join(repository, 'src/knowledge/policies'),
    );
  });

  it('throws config_invalid listing where it looked when the documents were not shipped', () => {
    const deployment = temporaryFolder();
    mkdirSync(path.join(deployment, 'dist/knowledge'), { recursive: true });

    let thrown: unknown;
    try {
      findBuiltInPolicyDirectory(path.join(deployment, 'dist/knowledge'));
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe('config_invalid');
    expect((thrown as AppError).message).toContain(
      path.join(deployment, 'dist/knowledge/policies'),
    );
    expect((thrown as AppError).message).toContain('POLICY_DOCUMENTS_DIR');
  });

  it('loads the built-in documents from JavaScript compiled by tsc into dist/', () => {
    // The build compiles src → dist without copying .md files; this runs the compiled module for real.
    const repository = temporaryFolder();
    symlinkSync(path.join(REPOSITORY, 'src'), path.join(repository, 'src'));
    const sources = ['src/knowledge/policy-library.ts'].map((file) => path.join(repository, file));
    const compile = spawnSync(
      process.execPath,
      [
        path.join(REPOSITORY, 'node_modules/typescript/bin/tsc'),
        '--outDir',
        path.join(repository, 'dist'),
        '--rootDir',
        path.join(repository, 'src'),
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        '--esModuleInterop',
        '--skipLibCheck',
        '--types',
        'node',
        '--typeRoots',
        path.join(REPOSITORY, 'node_modules/@types'),
        ...sources,
      ],
      { encoding: 'utf8' },
    );
    expect(compile.stdout + compile.stderr).toBe('');

    const script = `require(${JSON.stringify(path.join(repository, 'dist/knowledge/policy-library.js'))})
      .loadPolicyLibrary()
      .then((library) => console.log(JSON.stringify({ directory: library.directory, documents: library.documents.length })));`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: repository });

    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      directory: path.join(repository, 'src/knowledge/policies'),
      documents: 7,
    });
  });
});
