import { AppError } from '../../src/shared/errors';

/** The AppError a call fails with; fails the test when the call succeeds or throws anything else. */
export async function expectAppError(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the call to fail');
}
