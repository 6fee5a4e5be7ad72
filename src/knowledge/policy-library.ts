import { existsSync, statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../shared/errors';
import {
  DEFAULT_MAX_PASSAGE_LENGTH,
  parsePolicyDocument,
  type PolicyDocument,
  type PolicyPassage,
} from './policy-document';

/** Where the built-in documents live in the repository, relative to its root. */
const BUILT_IN_FOLDER = path.join('src', 'knowledge', 'policies');

/** How far up from this module's folder the built-in documents are looked for (dist/knowledge → repository). */
const MAX_LEVELS_UP = 4;

export interface LoadPolicyLibraryOptions {
  /**
   * A folder of `.md` policy documents that replaces the built-in ones (config `POLICY_DOCUMENTS_DIR`);
   * relative paths are resolved from the working directory. Default: the built-in documents.
   */
  directory?: string;
  /** Default {@link DEFAULT_MAX_PASSAGE_LENGTH}. */
  maxPassageLength?: number;
}

/** The company's policy documents, parsed and split into passages. */
export class PolicyLibrary {
  /** The absolute folder the documents were read from. */
  readonly directory: string;
  /** Ordered by file name. */
  readonly documents: readonly PolicyDocument[];
  /** Every passage of every document, in document order. */
  readonly passages: readonly PolicyPassage[];

  constructor(directory: string, documents: readonly PolicyDocument[]) {
    const seen = new Set<string>();
    for (const document of documents) {
      if (seen.has(document.id)) {
        throw new AppError(
          'config_invalid',
          `Two policy documents in ${directory} have the id "${document.id}".`,
          {
            details: { directory, documentId: document.id },
          },
        );
      }
      seen.add(document.id);
    }
    this.directory = directory;
    this.documents = documents;
    this.passages = documents.flatMap((document) => document.passages);
  }

  document(id: string): PolicyDocument | undefined {
    return this.documents.find((document) => document.id === id);
  }
}

/**
 * Reads every `.md` file of a folder (not its subfolders) into a {@link PolicyLibrary}. Throws `config_invalid`
 * naming the folder when it is missing, is not a folder, holds no markdown, or a document cannot be parsed: a
 * misconfigured folder stops the start-up instead of leaving the assistant without its policies.
 */
export async function loadPolicyLibrary(
  options: LoadPolicyLibraryOptions = {},
): Promise<PolicyLibrary> {
  const directory = path.resolve(options.directory ?? findBuiltInPolicyDirectory());
  const maxPassageLength = options.maxPassageLength ?? DEFAULT_MAX_PASSAGE_LENGTH;
  const isDirectory = await stat(directory).then(
    (found) => found.isDirectory(),
    () => false,
  );
  if (!isDirectory) {
    throw new AppError(
      'config_invalid',
      `The policy documents folder ${directory} does not exist or is not a folder. Set POLICY_DOCUMENTS_DIR to a folder of .md files, or leave it unset to use the built-in documents.`,
      { details: { directory } },
    );
  }
  const entries = await readdir(directory, { withFileTypes: true });
  const fileNames = entries
    .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.md'))
    .map((entry) => entry.name)
    .sort();
  if (fileNames.length === 0) {
    throw new AppError(
      'config_invalid',
      `The policy documents folder ${directory} has no .md files.`,
      {
        details: { directory },
      },
    );
  }
  const documents: PolicyDocument[] = [];
  for (const fileName of fileNames) {
    const markdown = await readFile(path.join(directory, fileName), 'utf8').catch(
      (error: unknown) => {
        throw new AppError(
          'config_invalid',
          `The policy document ${fileName} in ${directory} cannot be read.`,
          {
            cause: error,
            details: { directory, fileName },
          },
        );
      },
    );
    documents.push(parsePolicyDocument({ markdown, fileName, maxPassageLength }));
  }
  return new PolicyLibrary(directory, documents);
}

/**
 * The folder of the built-in documents. They stay markdown files in `src/knowledge/policies` (the build does
 * not copy them): run by tsx or jest this module sits next to them; compiled to `dist/knowledge/` it walks up
 * to the repository and finds them under `src/`. A deployment that ships `dist/` alone must ship that folder
 * too, or set `POLICY_DOCUMENTS_DIR`; otherwise this throws `config_invalid` saying where it looked.
 */
export function findBuiltInPolicyDirectory(moduleDirectory: string = __dirname): string {
  const candidates = [path.join(moduleDirectory, 'policies')];
  let level = moduleDirectory;
  for (let up = 0; up <= MAX_LEVELS_UP; up += 1) {
    candidates.push(path.join(level, BUILT_IN_FOLDER));
    const parent = path.dirname(level);
    if (parent === level) break;
    level = parent;
  }
  const found = candidates.find(
    (candidate) => existsSync(candidate) && statSync(candidate).isDirectory(),
  );
  if (found === undefined) {
    throw new AppError(
      'config_invalid',
      `The built-in policy documents were not found (looked in ${candidates.join(', ')}). Ship the src/knowledge/policies folder with the build, or set POLICY_DOCUMENTS_DIR.`,
      { details: { candidates } },
    );
  }
  return found;
}
