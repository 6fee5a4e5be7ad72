import { z } from 'zod';
import type { ToolCall, ToolSchema } from '../llm/chat-model';
import { AppError, describeError, ToolError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { silentLogger } from '../shared/logger';
import type { AnyToolDefinition, ChangeSummary, ToolContext } from './define-tool';

/** What a tool call produced, as the model will read it. */
export interface ToolRunResult {
  ok: boolean;
  /** The text handed back to the model: the tool's JSON, or "Error: …" as τ-bench tools answer. */
  output: string;
}

export type ToolPreviewResult =
  | { ok: true; summary: ChangeSummary; input: unknown }
  | { ok: false; output: string };

type ParsedCall =
  | { ok: true; tool: AnyToolDefinition; input: unknown }
  | { ok: false; output: string };

/**
 * The tools as one catalogue: schemas for the model, argument validation, and errors turned into results the
 * model reads. A tool's failure is an answer, never an exception that ends the turn.
 */
export class ToolRegistry {
  private readonly tools = new Map<string, AnyToolDefinition>();
  private readonly logger: Logger;
  private cachedSchemas: ToolSchema[] | null = null;

  constructor(tools: readonly AnyToolDefinition[], options: { logger?: Logger } = {}) {
    for (const tool of tools) {
      if (this.tools.has(tool.name)) throw new Error(`tool declared twice: ${tool.name}`);
      this.tools.set(tool.name, tool);
    }
    this.logger = options.logger ?? silentLogger();
  }

  get(name: string): AnyToolDefinition | undefined {
    return this.tools.get(name);
  }

  names(): string[] {
    return [...this.tools.keys()];
  }

  /** JSON schemas for the model, generated from the zod inputs once. */
  schemas(): ToolSchema[] {
    this.cachedSchemas ??= [...this.tools.values()].map(toToolSchema);
    return this.cachedSchemas;
  }

  /** Runs a call as the model made it. Validation failures and tool errors become `Error: …` results. */
  async run(call: Pick<ToolCall, 'name' | 'arguments'>, context: ToolContext): Promise<ToolRunResult> {
    const parsed = this.parse(call);
    if (!parsed.ok) return parsed;
    try {
      const value: unknown = await parsed.tool.execute(parsed.input, context);
      return { ok: true, output: serializeOutput(value) };
    } catch (error) {
      return { ok: false, output: this.failureOutput(call.name, error) };
    }
  }

  /** For write tools: validates, checks the change can be made, and describes it, changing nothing. */
  async preview(call: Pick<ToolCall, 'name' | 'arguments'>, context: ToolContext): Promise<ToolPreviewResult> {
    const parsed = this.parse(call);
    if (!parsed.ok) return parsed;
    const { tool, input } = parsed;
    if (tool.preview === undefined) {
      return { ok: false, output: `Error: ${tool.name} is not a change that needs confirmation` };
    }
    try {
      return { ok: true, summary: await tool.preview(input, context), input };
    } catch (error) {
      return { ok: false, output: this.failureOutput(call.name, error) };
    }
  }

  private parse(call: Pick<ToolCall, 'name' | 'arguments'>): ParsedCall {
    const tool = this.tools.get(call.name);
    if (tool === undefined) return { ok: false, output: `Error: unknown tool ${call.name}` };
    let raw: unknown;
    try {
      raw = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
    } catch {
      return { ok: false, output: 'Error: the arguments are not valid JSON' };
    }
    const result = tool.input.safeParse(raw);
    if (!result.success) {
      return { ok: false, output: `Error: invalid arguments: ${formatIssues(result.error)}` };
    }
    return { ok: true, tool, input: result.data };
  }

  private failureOutput(name: string, error: unknown): string {
    if (error instanceof ToolError || (error instanceof AppError && error.expected)) {
      return `Error: ${error.message}`;
    }
    this.logger.error({ tool: name, error: describeError(error) }, 'tool-crash');
    return 'Error: the tool failed unexpectedly; please try again later';
  }
}

function toToolSchema(tool: AnyToolDefinition): ToolSchema {
  const { $schema: _ignored, ...parameters } = z.toJSONSchema(tool.input, { target: 'draft-7' }) as Record<
    string,
    unknown
  >;
  return { name: tool.name, description: tool.description, parameters, strict: isStrictCompatible(parameters) };
}

/** OpenAI's strict mode needs every object closed and every property required, all the way down. */
function isStrictCompatible(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return true;
  const node = schema as Record<string, unknown>;
  if (node.type === 'object' || node.properties !== undefined) {
    const properties = (node.properties ?? {}) as Record<string, unknown>;
    const required = new Set((node.required ?? []) as string[]);
    if (node.additionalProperties !== false) return false;
    if (Object.keys(properties).some((key) => !required.has(key))) return false;
  }
  return Object.values(node).every((child) =>
    Array.isArray(child) ? child.every(isStrictCompatible) : isStrictCompatible(child),
  );
}

function serializeOutput(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value);
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'input'}: ${issue.message}`)
    .join('; ');
}
