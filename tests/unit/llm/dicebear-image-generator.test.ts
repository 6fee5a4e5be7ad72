import { DiceBearImageGenerator } from '../../../src/llm/dicebear-image-generator';
import { AppError } from '../../../src/shared/errors';

function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

describe('DiceBearImageGenerator', () => {
  it('returns the same SVG bytes for the same prompt, across instances', async () => {
    const first = await new DiceBearImageGenerator().generate({ prompt: 'a fox astronaut' });
    const second = await new DiceBearImageGenerator().generate({ prompt: 'a fox astronaut' });

    expect(first.contentType).toBe('image/svg+xml');
    expect(text(first.bytes)).toMatch(/^<svg[\s>]/u);
    expect(Buffer.compare(Buffer.from(first.bytes), Buffer.from(second.bytes))).toBe(0);
  });

  it('reads prompts that differ only in case and spacing as the same prompt', async () => {
    const generator = new DiceBearImageGenerator();

    const plain = await generator.generate({ prompt: 'a fox astronaut' });
    const shouted = await generator.generate({ prompt: '  A Fox   ASTRONAUT ' });

    expect(text(shouted.bytes)).toBe(text(plain.bytes));
  });

  it('returns different avatars for different prompts', async () => {
    const generator = new DiceBearImageGenerator();

    const fox = await generator.generate({ prompt: 'a fox astronaut' });
    const cat = await generator.generate({ prompt: 'a cat reading a book' });

    expect(text(cat.bytes)).not.toBe(text(fox.bytes));
  });

  it('draws in the configured style and says it does not depict the prompt', async () => {
    const image = await new DiceBearImageGenerator({ style: 'lorelei' }).generate({
      prompt: 'the assistant',
    });

    expect(image.madeBy).toBe('dicebear/lorelei');
    expect(image.depictsPrompt).toBe(false);
    expect(text(image.bytes)).toContain('Lorelei');
  });

  it('rejects with turn_cancelled when the signal has aborted', async () => {
    const controller = new AbortController();
    controller.abort();

    const attempt = new DiceBearImageGenerator().generate({
      prompt: 'a fox astronaut',
      signal: controller.signal,
    });

    await expect(attempt).rejects.toMatchObject({ code: 'turn_cancelled' });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
  });
});
