import { loadConfig } from '../../../src/config/config';
import { AppError } from '../../../src/shared/errors';

describe('MOOD_JUDGE', () => {
  it('returns the lexicon for auto when no model is configured', () => {
    expect(loadConfig({}).mood.judge).toBe('lexicon');
  });

  it('returns the model for auto when a model is configured', () => {
    expect(loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1' }).mood.judge).toBe('model');
  });

  it('returns off when turned off', () => {
    expect(
      loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1', MOOD_JUDGE: 'off' }).mood.judge,
    ).toBe('off');
  });

  it('rejects model when no model is configured', () => {
    let error: unknown;
    try {
      loadConfig({ MOOD_JUDGE: 'model' });
    } catch (thrown) {
      error = thrown;
    }

    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).details.keys).toEqual(['MOOD_JUDGE']);
  });

  it('rejects an unknown judge', () => {
    expect(() => loadConfig({ MOOD_JUDGE: 'gpt' })).toThrow(
      /MOOD_JUDGE: must be auto, model, lexicon or off/u,
    );
  });
});
