/**
 * A small arithmetic evaluator for the `calculate` tool: numbers, `+ - * /`, parentheses and unary signs,
 * parsed by recursive descent. No `eval`: a model's expression is data, never code.
 *
 * Results are formatted as τ-bench's Python does (`str(round(float(value), 2))`), so `2 + 2` gives `4.0`.
 */

/** A failure the model reads, in τ-bench's words where the benchmark has them. */
export class ArithmeticError extends Error {
  override name = 'ArithmeticError';
}

/** The characters τ-bench accepts; anything else is refused before parsing. */
const ALLOWED = /^[0-9+\-*/(). ]*$/u;

/** Deep enough for any real price sum, shallow enough that hostile input cannot exhaust the stack. */
const NESTING_MAX = 100;

type Token =
  | { kind: 'number'; value: number }
  | { kind: 'operator'; value: '+' | '-' | '*' | '/' | '(' | ')' };

export function evaluateArithmetic(expression: string): number {
  if (!ALLOWED.test(expression)) throw new ArithmeticError('invalid characters in expression');
  const parser = new Parser(tokenize(expression));
  const value = parser.parseExpression(0);
  parser.expectEnd();
  if (!Number.isFinite(value)) throw new ArithmeticError('result is too large');
  return value;
}

/** `str(round(float(value), 2))` in Python. */
export function formatLikePython(value: number): string {
  return pythonFloatRepr(roundHalfEven2(value));
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < expression.length) {
    const char = expression[index] ?? '';
    if (char === ' ') {
      index += 1;
    } else if (/[0-9.]/u.test(char)) {
      const match = /^(?:\d+\.?\d*|\.\d+)/u.exec(expression.slice(index));
      if (match === null) throw new ArithmeticError('invalid syntax');
      tokens.push({ kind: 'number', value: Number(match[0]) });
      index += match[0].length;
    } else if (char === '*' && expression[index + 1] === '*') {
      throw new ArithmeticError('powers are not supported');
    } else if (char === '/' && expression[index + 1] === '/') {
      throw new ArithmeticError('floor division is not supported');
    } else {
      tokens.push({ kind: 'operator', value: char as '+' | '-' | '*' | '/' | '(' | ')' });
      index += 1;
    }
  }
  return tokens;
}

class Parser {
  private position = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  /** expression := term (('+' | '-') term)* */
  parseExpression(depth: number): number {
    if (depth > NESTING_MAX) throw new ArithmeticError('expression is nested too deeply');
    let value = this.parseTerm(depth);
    for (
      let token = this.peek();
      token?.kind === 'operator' && (token.value === '+' || token.value === '-');
      token = this.peek()
    ) {
      this.position += 1;
      const right = this.parseTerm(depth);
      value = token.value === '+' ? value + right : value - right;
    }
    return value;
  }

  /** term := unary (('*' | '/') unary)* */
  private parseTerm(depth: number): number {
    let value = this.parseUnary(depth);
    for (
      let token = this.peek();
      token?.kind === 'operator' && (token.value === '*' || token.value === '/');
      token = this.peek()
    ) {
      this.position += 1;
      const right = this.parseUnary(depth);
      if (token.value === '/' && right === 0) throw new ArithmeticError('division by zero');
      value = token.value === '*' ? value * right : value / right;
    }
    return value;
  }

  /** unary := ('+' | '-') unary | primary */
  private parseUnary(depth: number): number {
    const token = this.peek();
    if (token?.kind === 'operator' && (token.value === '+' || token.value === '-')) {
      if (depth > NESTING_MAX) throw new ArithmeticError('expression is nested too deeply');
      this.position += 1;
      const operand = this.parseUnary(depth + 1);
      return token.value === '-' ? -operand : operand;
    }
    return this.parsePrimary(depth);
  }

  /** primary := number | '(' expression ')' */
  private parsePrimary(depth: number): number {
    const token = this.next();
    if (token?.kind === 'number') return token.value;
    if (token?.kind === 'operator' && token.value === '(') {
      const value = this.parseExpression(depth + 1);
      const closing = this.next();
      if (closing?.kind !== 'operator' || closing.value !== ')')
        throw new ArithmeticError('invalid syntax');
      return value;
    }
    throw new ArithmeticError('invalid syntax');
  }

  expectEnd(): void {
    if (this.position !== this.tokens.length) throw new ArithmeticError('invalid syntax');
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(): Token | undefined {
    const token = this.tokens[this.position];
    this.position += 1;
    return token;
  }
}

/**
 * Python's `round(x, 2)`: the nearest multiple of 0.01 to the double's exact value, ties to even. `toFixed`
 * rounds the exact value too but breaks ties away from zero, and a tie is only possible when the double is an
 * exact multiple of 1/8 (an odd number of half-cents); that case is settled here.
 */
function roundHalfEven2(value: number): number {
  if (!Number.isFinite(value) || Math.abs(value) >= 2 ** 52) return value;
  const isExactHalfCent =
    Number.isInteger(value * 8) && !Number.isInteger(value * 100) && Number.isInteger(value * 200);
  if (isExactHalfCent) {
    const lower = Math.floor(value * 100);
    const even = lower % 2 === 0 ? lower : lower + 1;
    return even / 100;
  }
  const rounded = Number(value.toFixed(2));
  // Python keeps the sign of a negative number rounded to zero: round(-0.001, 2) is -0.0.
  return rounded === 0 && value < 0 ? -0 : rounded;
}

/**
 * Python's `repr(float)`: the shortest digits that round-trip (as JavaScript's), in fixed notation with at
 * least one decimal for exponents from -4 to 15, otherwise as `1.5e+16` / `1e-05`.
 */
function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const [mantissa = '0', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const integerPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    const fraction = digits.slice(exponent + 1);
    return `${sign}${integerPart}.${fraction === '' ? '0' : fraction}`;
  }
  const scientific = digits.length > 1 ? `${digits[0] ?? ''}.${digits.slice(1)}` : digits;
  const exponentSign = exponent < 0 ? '-' : '+';
  return `${sign}${scientific}e${exponentSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}
