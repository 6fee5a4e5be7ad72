import { AppError } from '../../../src/shared/errors';
import { parsePolicyDocument } from '../../../src/knowledge/policy-document';

function parse(markdown: string, options: { fileName?: string; maxPassageLength?: number } = {}) {
  return parsePolicyDocument({
    markdown,
    fileName: options.fileName ?? 'sample-policy.md',
    maxPassageLength: options.maxPassageLength ?? 700,
  });
}

function parseError(markdown: string, fileName = 'broken.md'): AppError {
  try {
    parse(markdown, { fileName });
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the document to be rejected');
}

const SAMPLE = [
  '---',
  'id: store-credit',
  'updated: 2026-05-04',
  '---',
  '',
  '# Store credit',
  '',
  'How store credit works.',
  '',
  '## Earning credit',
  '',
  'Credit is earned on every',
  'purchase over $20.',
  '',
  '### Exceptions',
  '',
  '- Gift cards do not earn credit.',
  '- Clearance items',
  '  do not earn credit either.',
  '',
  '## Spending credit',
  '',
  'Credit pays for any order.',
].join('\n');

describe('parsePolicyDocument', () => {
  it('returns the id and date from the header and the title from the # heading', () => {
    const document = parse(SAMPLE);

    expect(document).toMatchObject({
      id: 'store-credit',
      title: 'Store credit',
      updated: '2026-05-04',
    });
  });

  it('returns one passage per section, each with its heading path', () => {
    const document = parse(SAMPLE);

    expect(document.passages.map((passage) => [passage.section, passage.headingPath])).toEqual([
      ['Store credit', ['Store credit']],
      ['Earning credit', ['Store credit', 'Earning credit']],
      ['Earning credit > Exceptions', ['Store credit', 'Earning credit', 'Exceptions']],
      ['Spending credit', ['Store credit', 'Spending credit']],
    ]);
    expect(document.passages.map((passage) => passage.id)).toEqual([
      'store-credit#1',
      'store-credit#2',
      'store-credit#3',
      'store-credit#4',
    ]);
  });

  it('joins hard-wrapped lines but keeps list items on their own lines', () => {
    const document = parse(SAMPLE);

    expect(document.passages[1]?.text).toBe('Credit is earned on every purchase over $20.');
    expect(document.passages[2]?.text).toBe(
      '- Gift cards do not earn credit.\n- Clearance items do not earn credit either.',
    );
  });

  it('uses the file name for the id and title when the document has no header and no # title', () => {
    const document = parse('## Who qualifies\n\nEveryone.', { fileName: 'Loyalty-Program.md' });

    expect(document).toMatchObject({
      id: 'loyalty-program',
      title: 'Loyalty Program',
      updated: null,
    });
    expect(document.passages[0]?.section).toBe('Who qualifies');
  });

  it('ignores lines that look like headings inside fenced code', () => {
    const document = parse(
      '# Codes\n\n## Format\n\n```\n# not a heading\n```\n\nCodes are 16 digits.',
    );

    expect(document.passages.map((passage) => passage.section)).toEqual(['Format']);
    expect(document.passages[0]?.text).toContain('# not a heading');
  });

  it('splits a long section on paragraphs so that no passage exceeds the limit', () => {
    const paragraph = (n: number) =>
      `Paragraph ${n} ${'explains one rule in plain words. '.repeat(5)}`.trim();
    const markdown = `# Long\n\n## Rules\n\n${[1, 2, 3, 4, 5, 6].map(paragraph).join('\n\n')}`;

    const document = parse(markdown, { maxPassageLength: 400 });

    expect(document.passages.length).toBeGreaterThan(1);
    for (const passage of document.passages) {
      expect(passage.text.length).toBeLessThanOrEqual(400);
      expect(passage.section).toBe('Rules');
    }
    const rejoined = document.passages.map((passage) => passage.text).join('\n\n');
    expect(rejoined).toBe([1, 2, 3, 4, 5, 6].map(paragraph).join('\n\n'));
  });

  it('splits a paragraph longer than the limit between sentences without losing words', () => {
    const sentences = Array.from(
      { length: 20 },
      (_, index) => `Sentence number ${index} states a fact.`,
    );

    const document = parse(`# One\n\n## Big\n\n${sentences.join(' ')}`, { maxPassageLength: 200 });

    expect(document.passages.every((passage) => passage.text.length <= 200)).toBe(true);
    expect(document.passages.map((passage) => passage.text).join(' ')).toBe(sentences.join(' '));
  });

  it('repeats the header row of a table in every part when the table is split', () => {
    const rows = Array.from(
      { length: 12 },
      (_, index) => `| Plan ${index} | ${index * 10} days | covers accidental damage |`,
    );
    const markdown = `# Plans\n\n## Table\n\n| Plan | Length | Covers |\n|---|---|---|\n${rows.join('\n')}`;

    const document = parse(markdown, { maxPassageLength: 300 });

    expect(document.passages.length).toBeGreaterThan(1);
    for (const passage of document.passages) {
      expect(passage.text.startsWith('| Plan | Length | Covers |\n| --- | --- | --- |\n')).toBe(
        true,
      );
      expect(passage.text.length).toBeLessThanOrEqual(300);
    }
    const bodyRows = document.passages.flatMap((passage) => passage.text.split('\n').slice(2));
    expect(bodyRows).toEqual(rows);
  });

  it('removes the padding a formatter adds to table cells, keeping escaped pipes as text', () => {
    const markdown = [
      '# Fees',
      '',
      '## Table',
      '',
      '| Option     | Price     |',
      '| :--------- | --------: |',
      '| Standard   | $5.99     |',
      '| Pick \\| up | free      |',
    ].join('\n');

    const document = parse(markdown);

    expect(document.passages[0]?.text).toBe(
      '| Option | Price |\n| :--- | ---: |\n| Standard | $5.99 |\n| Pick \\| up | free |',
    );
  });

  it('rejects an id that is not a lowercase slug, naming the file', () => {
    const error = parseError('---\nid: Returns Policy\n---\n# Returns\n\nText.', 'returns.md');

    expect(error.code).toBe('config_invalid');
    expect(error.message).toContain('returns.md');
    expect(error.message).toContain('Returns Policy');
  });

  it('rejects an updated date not written YYYY-MM-DD', () => {
    const error = parseError('---\nupdated: 1 May 2026\n---\n# Returns\n\nText.');

    expect(error.code).toBe('config_invalid');
    expect(error.message).toContain('1 May 2026');
  });

  it('rejects a header that is never closed', () => {
    expect(parseError('---\nid: returns\n# Returns\n\nText.').message).toContain('never closed');
  });

  it('rejects a document with headings but no text', () => {
    expect(parseError('# Empty\n\n## Nothing here\n').message).toContain('no text');
  });

  it('rejects a passage limit too small to hold a sentence', () => {
    expect(() => parse(SAMPLE, { maxPassageLength: 50 })).toThrow(AppError);
  });
});
