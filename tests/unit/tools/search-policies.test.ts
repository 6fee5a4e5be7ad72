import { MiniSearchPolicySearch } from '../../../src/knowledge/minisearch-policy-search';
import { loadPolicyLibrary } from '../../../src/knowledge/policy-library';
import type { PolicySearch } from '../../../src/knowledge/policy-search';
import { AppError } from '../../../src/shared/errors';
import type { ToolContext } from '../../../src/tools/define-tool';
import { ToolRegistry } from '../../../src/tools/registry';
import {
  createSearchPoliciesTool,
  NO_POLICY_MATCH_NOTE,
  type SearchPoliciesOutput,
} from '../../../src/tools/search-policies';

interface ContextRecord {
  verified: string[];
  handoffs: string[];
}

function createContext(customerId: string | null = null): {
  context: ToolContext;
  record: ContextRecord;
} {
  const record: ContextRecord = { verified: [], handoffs: [] };
  const context: ToolContext = {
    customerId,
    verificationRule: 'identifier_and_zip',
    verifyCustomer: (id) => record.verified.push(id),
    requestHandoff: ({ summary }) => record.handoffs.push(summary),
    conversationId: 'conversation-1',
    channelId: 'webchat',
    now: () => new Date('2026-11-24T10:00:00Z'),
  };
  return { context, record };
}

let search: MiniSearchPolicySearch;

beforeAll(async () => {
  search = new MiniSearchPolicySearch(await loadPolicyLibrary());
});

function registryWith(tool = createSearchPoliciesTool({ search })): ToolRegistry {
  return new ToolRegistry([tool]);
}

async function runSearch(registry: ToolRegistry, argumentsJson: string) {
  const { context, record } = createContext();
  const result = await registry.run({ name: 'search_policies', arguments: argumentsJson }, context);
  return { result, record };
}

function parseOutput(output: string): SearchPoliciesOutput {
  return JSON.parse(output) as SearchPoliciesOutput;
}

describe('search_policies through the tool registry', () => {
  it('declares a read tool with a strict JSON schema whose only argument is the query', () => {
    const registry = registryWith();

    const [schema] = registry.schemas();

    expect(registry.get('search_policies')?.kind).toBe('read');
    expect(schema).toMatchObject({
      name: 'search_policies',
      strict: true,
      parameters: {
        type: 'object',
        properties: { query: { type: 'string', minLength: 2, maxLength: 300 } },
        required: ['query'],
        additionalProperties: false,
      },
    });
    expect(schema?.description.length).toBeLessThanOrEqual(350);
  });

  it('returns the refund-timing passages for a card refund question, without verification', async () => {
    const { result, record } = await runSearch(
      registryWith(),
      JSON.stringify({ query: 'refund time credit card' }),
    );

    expect(result.ok).toBe(true);
    const output = parseOutput(result.output);
    expect(output.note).toBeUndefined();
    expect(output.results[0]).toMatchObject({
      document: 'payments-and-gift-cards',
      title: 'Payments and gift cards',
      section: 'How long refunds take',
    });
    expect(output.results[0]?.text).toContain('5–7 business days');
    expect(record).toEqual({ verified: [], handoffs: [] });
  });

  it('returns at most three results, each with document, title, section, text and a rounded score', async () => {
    const { result } = await runSearch(
      registryWith(),
      JSON.stringify({ query: 'refund gift card order' }),
    );

    const output = parseOutput(result.output);
    expect(output.results).toHaveLength(3);
    for (const item of output.results) {
      expect(Object.keys(item).sort()).toEqual(['document', 'score', 'section', 'text', 'title']);
      expect(Number.isInteger(item.score * 100)).toBe(true);
    }
  });

  it('returns up to the configured limit', async () => {
    const registry = registryWith(createSearchPoliciesTool({ search, limit: 1 }));

    const { result } = await runSearch(
      registry,
      JSON.stringify({ query: 'refund gift card order' }),
    );

    expect(parseOutput(result.output).results).toHaveLength(1);
  });

  it('returns no results and a note telling the model not to guess when nothing matches', async () => {
    const { result } = await runSearch(
      registryWith(),
      JSON.stringify({ query: 'weather in paris' }),
    );

    expect(result.ok).toBe(true);
    expect(parseOutput(result.output)).toEqual({ results: [], note: NO_POLICY_MATCH_NOTE });
  });

  it('answers a missing or too short query with an invalid-arguments error the model can read', async () => {
    const registry = registryWith();

    const missing = await runSearch(registry, '{}');
    const short = await runSearch(registry, JSON.stringify({ query: ' a ' }));

    expect(missing.result).toMatchObject({ ok: false });
    expect(missing.result.output).toMatch(/^Error: invalid arguments: query:/);
    expect(short.result).toMatchObject({ ok: false });
    expect(short.result.output).toMatch(/^Error: invalid arguments: query:/);
  });

  it('passes the trimmed query and the limit to the search port', async () => {
    const calls: { query: string; limit: number | undefined }[] = [];
    const recording: PolicySearch = {
      search: (query, options) => {
        calls.push({ query, limit: options?.limit });
        return search.search(query, options);
      },
    };

    await runSearch(
      registryWith(createSearchPoliciesTool({ search: recording, limit: 2 })),
      JSON.stringify({ query: '  warranty claim  ' }),
    );

    expect(calls).toEqual([{ query: 'warranty claim', limit: 2 }]);
  });

  it('turns a failing search into an error result instead of ending the turn', async () => {
    const broken: PolicySearch = { search: () => Promise.reject(new Error('index corrupted')) };

    const { result } = await runSearch(
      registryWith(createSearchPoliciesTool({ search: broken })),
      JSON.stringify({ query: 'returns' }),
    );

    expect(result).toEqual({
      ok: false,
      output: 'Error: the tool failed unexpectedly; please try again later',
    });
  });

  it("names a company's own document titles in the description when given", () => {
    const tool = createSearchPoliciesTool({ search, topics: ['Store credit', 'Product care'] });

    expect(tool.description).toContain('policies: Store credit, Product care.');
    expect(tool.description).not.toContain('warranty');
    expect(() => createSearchPoliciesTool({ search, topics: [' '] })).toThrow(AppError);
  });

  it('rejects a limit outside 1 to 4 when the tool is created', () => {
    expect(() => createSearchPoliciesTool({ search, limit: 0 })).toThrow(AppError);
    expect(() => createSearchPoliciesTool({ search, limit: 5 })).toThrow(AppError);
    expect(() => createSearchPoliciesTool({ search, limit: 4 })).not.toThrow();
  });
});
