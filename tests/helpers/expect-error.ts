import { AppError } from '../../src/shared/errors';

/**
 * The error a call fails with, of the class given; fails the test when the call succeeds or throws anything
 * else.
 */
export async function expectRejection<E extends Error>(
  promise: Promise<unknown>,
  errorClass: abstract new (...args: never[]) => E,
): Promise<E> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(errorClass);
    return error as E;
  }
  throw new Error(`expected the call to fail with ${errorClass.name}`);
}

/** The AppError a call fails with; fails the test when the call succeeds or throws anything else. */
export function expectAppError(promise: Promise<unknown>): Promise<AppError> {
  return expectRejection(promise, AppError);
}
