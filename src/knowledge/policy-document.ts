import { AppError } from '../shared/errors';

/**
 * A passage is the unit of search and of what reaches the model: one section of a document, or part of a long
 * one. Short passages keep a search result cheap in a prompt.
 */
export interface PolicyPassage {
  /** `<document id>#<position>`: unique in a library, stable while the document is unchanged. */
  readonly id: string;
  readonly documentId: string;
  readonly documentTitle: string;
  /** The headings above the passage, from the document title down, e.g. ["Warranty", "How to make a claim"]. */
  readonly headingPath: readonly string[];
  /** The headings below the title joined with " > ", or the title for text before the first section. */
  readonly section: string;
  /** Markdown text with hard line wraps undone; list items and table rows keep their own lines. */
  readonly text: string;
}

/** One policy document, parsed. */
export interface PolicyDocument {
  /** From the `id:` header, or the file name without `.md`. */
  readonly id: string;
  readonly title: string;
  /** The `updated:` header (YYYY-MM-DD), or null when the document does not say. */
  readonly updated: string | null;
  readonly passages: readonly PolicyPassage[];
}

export interface ParsePolicyDocumentOptions {
  markdown: string;
  /** The file name, used for the default id and title and in error messages. */
  fileName: string;
  /** Passages longer than this are split on paragraphs, then lines, then sentences. */
  maxPassageLength: number;
}

/**
 * The default passage size: about 150 tokens, so three or four results cost a few hundred tokens of prompt,
 * while a typical section (a rule and its numbers) still fits in one passage.
 */
export const DEFAULT_MAX_PASSAGE_LENGTH = 700;

/** Passages shorter than this are too small to be split further; it bounds the splitting of odd text. */
const MIN_PASSAGE_LENGTH = 120;

const DOCUMENT_ID = /^[a-z0-9][a-z0-9-]*$/u;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/u;
const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/u;
const FENCE = /^\s*(```|~~~)/u;
const LIST_ITEM = /^\s*([-*+]|\d+[.)])\s+/u;
const TABLE_ROW = /^\s*\|/u;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{3,}/u;

interface Section {
  headings: string[];
  lines: string[];
}

/**
 * Parses one markdown policy document: an optional `---` header with `id:` and `updated:` lines, a `#` title,
 * and `##`/`###` sections. Each section becomes one or more passages that carry their heading path.
 * Throws `config_invalid` for a header that cannot be right or a document without any text.
 */
export function parsePolicyDocument(options: ParsePolicyDocumentOptions): PolicyDocument {
  if (options.maxPassageLength < MIN_PASSAGE_LENGTH) {
    throw new AppError(
      'config_invalid',
      `maxPassageLength must be at least ${MIN_PASSAGE_LENGTH} characters`,
    );
  }
  const lines = options.markdown.replace(/^\uFEFF/u, '').split(/\r?\n/u);
  const { header, bodyStart } = readHeader(lines, options.fileName);
  const id = header.get('id') ?? options.fileName.replace(/\.md$/iu, '').toLowerCase();
  if (!DOCUMENT_ID.test(id)) {
    throw invalidDocument(
      options.fileName,
      `its id "${id}" must be lowercase letters, digits and dashes (set it with an "id:" header line)`,
    );
  }
  const updated = header.get('updated') ?? null;
  if (updated !== null && !ISO_DATE.test(updated)) {
    throw invalidDocument(
      options.fileName,
      `its "updated:" date "${updated}" must be written YYYY-MM-DD`,
    );
  }

  const { title, sections } = readSections(lines.slice(bodyStart), options.fileName);
  const passages: PolicyPassage[] = [];
  for (const section of sections) {
    const headingPath = [title, ...section.headings];
    const sectionName = section.headings.length > 0 ? section.headings.join(' > ') : title;
    for (const text of splitIntoPassages(toBlocks(section.lines), options.maxPassageLength)) {
      passages.push({
        id: `${id}#${passages.length + 1}`,
        documentId: id,
        documentTitle: title,
        headingPath,
        section: sectionName,
        text,
      });
    }
  }
  if (passages.length === 0) throw invalidDocument(options.fileName, 'it has no text to search');
  return { id, title, updated, passages };
}

function readHeader(
  lines: string[],
  fileName: string,
): { header: Map<string, string>; bodyStart: number } {
  const header = new Map<string, string>();
  if (lines[0]?.trim() !== '---') return { header, bodyStart: 0 };
  const end = lines.findIndex((line, index) => index > 0 && line.trim() === '---');
  if (end === -1) throw invalidDocument(fileName, 'its "---" header is never closed');
  for (const line of lines.slice(1, end)) {
    const match = /^\s*([A-Za-z_-]+)\s*:\s*(.*?)\s*$/u.exec(line);
    if (match?.[1] === undefined || match[2] === undefined) continue;
    header.set(match[1].toLowerCase(), match[2].replace(/^["']|["']$/gu, ''));
  }
  return { header, bodyStart: end + 1 };
}

function readSections(lines: string[], fileName: string): { title: string; sections: Section[] } {
  let title: string | null = null;
  const sections: Section[] = [];
  let current: Section = { headings: [], lines: [] };
  let inFence = false;
  for (const line of lines) {
    if (FENCE.test(line)) inFence = !inFence;
    const heading = inFence ? null : HEADING.exec(line);
    if (heading?.[1] === undefined || heading[2] === undefined) {
      current.lines.push(line);
      continue;
    }
    const text = heading[2].replace(/[*_`]/gu, '');
    if (heading[1].length === 1 && title === null) {
      title = text;
      continue;
    }
    sections.push(current);
    // A second `#` heading is read as a top-level section: the document has one title.
    const depth = Math.max(heading[1].length, 2) - 2;
    current = { headings: [...current.headings.slice(0, depth), text], lines: [] };
  }
  sections.push(current);
  return { title: title ?? titleFromFileName(fileName), sections };
}

function titleFromFileName(fileName: string): string {
  const words = fileName.replace(/\.md$/iu, '').replace(/[-_]+/gu, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Blocks are paragraphs, lists and tables. Hard-wrapped lines are joined, since the wrap width of a markdown
 * file means nothing to a reader of the passage; list items and table rows stay one per line.
 */
function toBlocks(lines: string[]): string[] {
  const blocks: string[] = [];
  let block: string[] = [];
  let inFence = false;
  const flush = () => {
    if (block.length > 0) blocks.push(block.join('\n'));
    block = [];
  };
  for (const line of lines) {
    // A fenced block is kept verbatim as one block of its own.
    if (FENCE.test(line)) {
      if (!inFence) flush();
      block.push(line);
      if (inFence) flush();
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      block.push(line);
      continue;
    }
    const trimmed = TABLE_ROW.test(line) ? compactTableRow(line) : line.trim();
    if (trimmed === '') {
      flush();
      continue;
    }
    const last = block.length - 1;
    const startsLine =
      last < 0 || LIST_ITEM.test(line) || TABLE_ROW.test(line) || TABLE_ROW.test(block[last] ?? '');
    if (startsLine) block.push(trimmed);
    else block[last] = `${block[last]} ${trimmed}`;
  }
  flush();
  return blocks;
}

/**
 * Formatters pad table cells to align the columns; in a passage that padding is only cost, so cells are
 * trimmed and separator rows shortened.
 */
function compactTableRow(line: string): string {
  // An escaped pipe (\|) is text inside a cell, not a column border.
  const cells = line
    .trim()
    .replace(/^\||(?<!\\)\|$/gu, '')
    .split(/(?<!\\)\|/u);
  const compact = cells.map((cell) => {
    const text = cell.trim();
    return /^:?-+:?$/u.test(text) ? text.replace(/-+/u, '---') : text;
  });
  return `| ${compact.join(' | ')} |`;
}

/**
 * Packs blocks into passages of at most `maxLength` characters, in order. A block too long on its own is
 * split on its lines (a table keeps its header row in every part), then on sentences, then between words.
 */
function splitIntoPassages(blocks: string[], maxLength: number): string[] {
  const pieces = blocks.flatMap((block) => splitBlock(block, maxLength));
  const passages: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current === '') current = piece;
    else if (current.length + 2 + piece.length <= maxLength) current = `${current}\n\n${piece}`;
    else {
      passages.push(current);
      current = piece;
    }
  }
  if (current !== '') passages.push(current);
  return passages;
}

function splitBlock(block: string, maxLength: number): string[] {
  if (block.length <= maxLength) return [block];
  const lines = block.split('\n');
  if (lines.length > 1) {
    const isTable = TABLE_ROW.test(lines[0] ?? '') && TABLE_SEPARATOR.test(lines[1] ?? '');
    const header = isTable ? lines.slice(0, 2).join('\n') : '';
    const rows = isTable ? lines.slice(2) : lines;
    const rowLimit = isTable ? maxLength - header.length - 1 : maxLength;
    const parts = packLines(
      rows.flatMap((row) => splitBlock(row, Math.max(rowLimit, MIN_PASSAGE_LENGTH))),
      rowLimit,
    );
    return isTable ? parts.map((part) => `${header}\n${part}`) : parts;
  }
  const sentences = block.split(/(?<=[.!?])\s+/u);
  if (sentences.length > 1) {
    return packWith(
      sentences.flatMap((sentence) => splitBlock(sentence, maxLength)),
      maxLength,
      ' ',
    );
  }
  return splitBetweenWords(block, maxLength);
}

function packLines(lines: string[], maxLength: number): string[] {
  return packWith(lines, maxLength, '\n');
}

function packWith(pieces: string[], maxLength: number, separator: string): string[] {
  const packed: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current === '') current = piece;
    else if (current.length + separator.length + piece.length <= maxLength)
      current += separator + piece;
    else {
      packed.push(current);
      current = piece;
    }
  }
  if (current !== '') packed.push(current);
  return packed;
}

function splitBetweenWords(text: string, maxLength: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > maxLength) {
    const cut = rest.lastIndexOf(' ', maxLength);
    const at = cut > maxLength / 2 ? cut : maxLength;
    parts.push(rest.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  if (rest !== '') parts.push(rest);
  return parts;
}

function invalidDocument(fileName: string, problem: string): AppError {
  return new AppError(
    'config_invalid',
    `The policy document ${fileName} cannot be used: ${problem}.`,
    {
      details: { fileName },
    },
  );
}
