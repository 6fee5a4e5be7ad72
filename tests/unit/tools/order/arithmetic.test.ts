import {
  ArithmeticError,
  evaluateArithmetic,
  formatLikePython,
} from '../../../../src/tools/order/arithmetic';

/** Expected strings are what τ-bench's Python prints: `str(round(float(eval(expression)), 2))`. */
describe('evaluateArithmetic with formatLikePython', () => {
  it.each([
    ['2 + 2', '4.0'],
    ['3131.1 + 4777.75 + 367.38', '8276.23'],
    ['135.24 - 153.23', '-17.99'],
    ['(49.99 - 10) * 2', '79.98'],
    ['1/3', '0.33'],
    ['7 / 2', '3.5'],
    ['-(3 - 5)', '2.0'],
    ['- - 4', '4.0'],
    ['0.1 + 0.2', '0.3'],
    ['2.675 * 1', '2.67'],
    ['1.005', '1.0'],
    ['0.125', '0.12'],
    ['0.375', '0.38'],
    ['-0.001', '-0.0'],
    ['0.00001', '0.0'],
    ['1234567890123456', '1234567890123456.0'],
    ['10000000000000000', '1e+16'],
    ['100000000000000000000', '1e+20'],
  ])('%s gives %s', (expression, expected) => {
    expect(formatLikePython(evaluateArithmetic(expression))).toBe(expected);
  });

  it.each([
    ['2 + a', 'invalid characters in expression'],
    ['process.exit()', 'invalid characters in expression'],
    ['1 / 0', 'division by zero'],
    ['(1 + 2', 'invalid syntax'],
    ['1 2', 'invalid syntax'],
    ['', 'invalid syntax'],
    ['2 ** 3', 'powers are not supported'],
    ['1..2', 'invalid syntax'],
  ])('refuses %j: %s', (expression, message) => {
    expect(() => evaluateArithmetic(expression)).toThrow(new ArithmeticError(message));
  });

  it('refuses nesting deep enough to exhaust the stack', () => {
    expect(() => evaluateArithmetic(`${'('.repeat(5000)}1${')'.repeat(5000)}`)).toThrow(
      'nested too deeply',
    );
    expect(() => evaluateArithmetic(`${'-'.repeat(5000)}1`)).toThrow('nested too deeply');
  });
});
