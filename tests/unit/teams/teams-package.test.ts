import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { AppError } from '../../../src/shared/errors';
import {
  buildTeamsAppPackage,
  validateTeamsManifest,
  type TeamsAppPackage,
} from '../../../scripts/teams-app-package';

const BOT_APP_ID = '6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const TEAMS_APP_ID = '0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e';

/** The settings of a deployed SingleTenant bot, as `.env` would hold them. */
function deployedBotEnvironment(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    MicrosoftAppType: 'SingleTenant',
    MicrosoftAppId: BOT_APP_ID,
    MicrosoftAppPassword: 'client-secret-value',
    MicrosoftAppTenantId: '11111111-2222-4333-8444-555555555555',
    ASSISTANT_NAME: 'Ava',
    COMPANY_NAME: 'Contoso Home & Electronics',
    ...overrides,
  };
}

interface UnpackedPackage {
  built: TeamsAppPackage;
  files: Record<string, Uint8Array>;
  manifest: unknown;
}

describe('buildTeamsAppPackage', () => {
  let outputDirectory: string;

  beforeEach(async () => {
    outputDirectory = await mkdtemp(path.join(tmpdir(), 'teams-package-'));
  });

  afterEach(async () => {
    await rm(outputDirectory, { recursive: true, force: true });
  });

  async function buildAndUnzip(environment: Record<string, string>): Promise<UnpackedPackage> {
    const built = await buildTeamsAppPackage({ environment, outputDirectory });
    const files = unzipSync(new Uint8Array(await readFile(built.zipPath)));
    const manifestBytes = files['manifest.json'];
    if (manifestBytes === undefined) throw new Error('the zip has no manifest.json at its root');
    return { built, files, manifest: JSON.parse(Buffer.from(manifestBytes).toString('utf8')) };
  }

  it('writes a zip holding exactly manifest.json, color.png and outline.png at its root', async () => {
    const { built, files } = await buildAndUnzip(deployedBotEnvironment());

    expect(path.dirname(built.zipPath)).toBe(outputDirectory);
    expect(path.basename(built.zipPath)).toMatch(/^ava-\d+\.\d+\.\d+\.zip$/u);
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  });

  it('writes a manifest that the bundled v1.30 schema accepts', async () => {
    const { manifest } = await buildAndUnzip(deployedBotEnvironment());

    expect(manifest).toMatchObject({
      manifestVersion: '1.30',
      $schema:
        'https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json',
    });
    expect(await validateTeamsManifest(manifest)).toEqual([]);
  });

  it('rejects, with the same validator, a manifest the schema does not allow', async () => {
    const { manifest } = await buildAndUnzip(deployedBotEnvironment());
    const broken = {
      ...(manifest as Record<string, unknown>),
      id: 'not-a-guid',
      bots: [{ botId: BOT_APP_ID, scopes: ['customers'] }],
    };

    const problems = await validateTeamsManifest(broken);

    expect(problems.map((problem) => problem.path)).toEqual(
      expect.arrayContaining(['/id', '/bots/0/scopes/0']),
    );
  });

  it('declares one bot with the app id, in personal, team and group chat scopes, without files', async () => {
    const { manifest } = await buildAndUnzip(deployedBotEnvironment());

    expect(manifest).toMatchObject({ id: BOT_APP_ID, version: expect.any(String) });
    expect(manifest).toHaveProperty('bots', [
      expect.objectContaining({
        botId: BOT_APP_ID,
        scopes: ['personal', 'team', 'groupChat'],
        supportsFiles: false,
      }),
    ]);
    expect(manifest).toHaveProperty(
      'bots.0.commandLists.0.commands',
      expect.arrayContaining([expect.objectContaining({ title: 'Talk to a person' })]),
    );
  });

  it('asks for channel messages without an @mention through resource-specific consent', async () => {
    const { manifest } = await buildAndUnzip(deployedBotEnvironment());

    expect(manifest).toHaveProperty('authorization.permissions.resourceSpecific', [
      { name: 'ChannelMessage.Read.Group', type: 'Application' },
    ]);
    expect(manifest).toHaveProperty('webApplicationInfo.id', BOT_APP_ID);
  });

  it('takes names, developer pages, domains and the Teams app id from config', async () => {
    const { manifest } = await buildAndUnzip(
      deployedBotEnvironment({
        TEAMS_APP_ID,
        ASSISTANT_NAME: 'Max',
        COMPANY_NAME: 'Fabrikam Outdoor',
        TEAMS_DEVELOPER_WEBSITE_URL: 'https://fabrikam.example',
        TEAMS_PRIVACY_URL: 'https://fabrikam.example/privacy',
        TEAMS_TERMS_OF_USE_URL: 'https://fabrikam.example/terms',
        TEAMS_VALID_DOMAINS: 'care.fabrikam.example, *.fabrikam.example',
      }),
    );

    expect(manifest).toMatchObject({
      id: TEAMS_APP_ID,
      bots: [expect.objectContaining({ botId: BOT_APP_ID })],
      name: { short: 'Max', full: 'Max from Fabrikam Outdoor' },
      developer: {
        name: 'Fabrikam Outdoor',
        websiteUrl: 'https://fabrikam.example',
        privacyUrl: 'https://fabrikam.example/privacy',
        termsOfUseUrl: 'https://fabrikam.example/terms',
      },
      validDomains: ['care.fabrikam.example', '*.fabrikam.example'],
    });
    expect(await validateTeamsManifest(manifest)).toEqual([]);
  });

  it('packs a 192×192 color icon and a 32×32 outline icon', async () => {
    const { files } = await buildAndUnzip(deployedBotEnvironment());

    expect(pngSize(files['color.png'])).toEqual({ width: 192, height: 192 });
    expect(pngSize(files['outline.png'])).toEqual({ width: 32, height: 32 });
  });

  it('packs an outline icon that is white on transparent, as Teams requires', async () => {
    const { files } = await buildAndUnzip(deployedBotEnvironment());
    const pixels = decodeRgbaPng(files['outline.png']);

    const visible = pixels.filter((pixel) => pixel.alpha > 0);
    expect(visible.length).toBeGreaterThan(100);
    expect(
      visible.filter((pixel) => pixel.red < 255 || pixel.green < 255 || pixel.blue < 255),
    ).toEqual([]);
    expect(pixels.filter((pixel) => pixel.alpha === 0).length).toBeGreaterThan(100);
  });

  it('stops with one message naming MicrosoftAppId when the bot has no app id', async () => {
    const error = await buildFailure({});

    expect(error.code).toBe('config_invalid');
    expect(error.details.keys).toEqual(['MicrosoftAppId']);
    expect(error.message).toContain('MicrosoftAppId');
  });

  it('stops with one message naming MicrosoftAppId when the app id is not a GUID', async () => {
    const error = await buildFailure({
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppId: 'care-bot',
      MicrosoftAppTenantId: '11111111-2222-4333-8444-555555555555',
    });

    expect(error.details.keys).toEqual(['MicrosoftAppId']);
    expect(error.message).toMatch(/MicrosoftAppId: must be a GUID/u);
  });

  it('names ASSISTANT_NAME when the name is longer than Teams shows', async () => {
    const error = await buildFailure(
      deployedBotEnvironment({ ASSISTANT_NAME: 'Contoso Customer Care Assistant' }),
    );

    expect(error.details.keys).toEqual(['ASSISTANT_NAME']);
    expect(error.message).toContain('/name/short');
  });

  it('names TEAMS_APP_ID when it is not a GUID', async () => {
    const error = await buildFailure(deployedBotEnvironment({ TEAMS_APP_ID: 'care-app' }));

    expect(error.details.keys).toEqual(['TEAMS_APP_ID']);
  });

  it('names TEAMS_VALID_DOMAINS when a domain is written as a URL', async () => {
    const error = await buildFailure(
      deployedBotEnvironment({
        TEAMS_VALID_DOMAINS: 'care.example.com, https://shop.example.com/',
      }),
    );

    expect(error.details.keys).toEqual(['TEAMS_VALID_DOMAINS']);
  });

  async function buildFailure(environment: Record<string, string>): Promise<AppError> {
    try {
      await buildTeamsAppPackage({ environment, outputDirectory });
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
    throw new Error('expected buildTeamsAppPackage to fail');
  }
});

/** Width and height read straight from the IHDR chunk (bytes 16–23), independently of the code under test. */
function pngSize(bytes: Uint8Array | undefined): { width: number; height: number } {
  if (bytes === undefined) throw new Error('icon missing from the zip');
  const buffer = Buffer.from(bytes);
  expect(buffer.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(buffer.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) };
}

interface Pixel {
  red: number;
  green: number;
  blue: number;
  alpha: number;
}

/** Decodes an 8-bit RGBA, non-interlaced PNG (what Chromium writes) into pixels, undoing the row filters. */
function decodeRgbaPng(bytes: Uint8Array | undefined): Pixel[] {
  if (bytes === undefined) throw new Error('icon missing from the zip');
  const buffer = Buffer.from(bytes);
  const { width, height } = pngSize(bytes);
  expect({ bitDepth: buffer[24], colorType: buffer[25], interlace: buffer[28] }).toEqual({
    bitDepth: 8,
    colorType: 6,
    interlace: 0,
  });
  const compressed: Buffer[] = [];
  for (let offset = 8; offset < buffer.length;) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString('latin1', offset + 4, offset + 8);
    if (type === 'IDAT') compressed.push(buffer.subarray(offset + 8, offset + 8 + length));
    offset += length + 12;
  }
  const raw = inflateSync(Buffer.concat(compressed));
  const stride = width * 4;
  const image = Buffer.alloc(height * stride);
  for (let row = 0; row < height; row += 1) {
    const filter = raw[row * (stride + 1)];
    for (let column = 0; column < stride; column += 1) {
      const value = raw[row * (stride + 1) + 1 + column] ?? 0;
      const left = column >= 4 ? (image[row * stride + column - 4] ?? 0) : 0;
      const up = row > 0 ? (image[(row - 1) * stride + column] ?? 0) : 0;
      const upLeft = row > 0 && column >= 4 ? (image[(row - 1) * stride + column - 4] ?? 0) : 0;
      image[row * stride + column] = (value + unfilter(filter, left, up, upLeft)) & 0xff;
    }
  }
  const pixels: Pixel[] = [];
  for (let offset = 0; offset < image.length; offset += 4) {
    pixels.push({
      red: image[offset] ?? 0,
      green: image[offset + 1] ?? 0,
      blue: image[offset + 2] ?? 0,
      alpha: image[offset + 3] ?? 0,
    });
  }
  return pixels;
}

/** The predictor each PNG filter type adds back (PNG specification, section 9). */
function unfilter(filter: number | undefined, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return Math.floor((left + up) / 2);
    case 4: {
      // Paeth: whichever neighbour is closest to left + up - upLeft, ties going left, then up.
      const estimate = left + up - upLeft;
      const toLeft = Math.abs(estimate - left);
      const toUp = Math.abs(estimate - up);
      const toUpLeft = Math.abs(estimate - upLeft);
      if (toLeft <= toUp && toLeft <= toUpLeft) return left;
      return toUp <= toUpLeft ? up : upLeft;
    }
    default:
      throw new Error(`unknown PNG filter type ${String(filter)}`);
  }
}
