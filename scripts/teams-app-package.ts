/**
 * The Teams app package: `manifest.json`, `color.png` and `outline.png` zipped at the root, the file an admin
 * uploads to Teams so customers can chat with the assistant and the care team can host its agent desk in a
 * channel. `scripts/teams-package.ts` is the command line around {@link buildTeamsAppPackage}.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { TeamsManifestV1D30 } from '@microsoft/app-manifest';
import { zipSync } from 'fflate';
import { z } from 'zod';
import { loadConfig, type AppConfig } from '../src/config/config';
import { AppError } from '../src/shared/errors';

/**
 * The manifest schema the package is written for: the newest generally available schema bundled with
 * `@microsoft/app-manifest` (v1.30: published as GA in August 2026, microsoft/json-schemas#620, and the
 * package's `TeamsManifestLatest`). Moving to a newer one means changing this, the type below and the schema file.
 */
export const TEAMS_MANIFEST_VERSION = '1.30';

/** A manifest of {@link TEAMS_MANIFEST_VERSION}, as the official generated types describe it. */
export type TeamsManifest = TeamsManifestV1D30.TeamsManifestV1D30;

/** The icons' files in the package and the sizes Teams requires of them. */
export const TEAMS_ICON_FILES = {
  color: { file: 'color.png', size: 192 },
  outline: { file: 'outline.png', size: 32 },
} as const;

/** The blue of the avatar's background (`public/avatar.svg`), so Teams' tiles around the icon match it. */
export const TEAMS_ACCENT_COLOR = '#2b88d8';

/**
 * Lets the bot receive every message in the channels of a team it is installed in, not only those that
 * @mention it: agents answer customers from the desk channel in plain replies. The team's owner consents at
 * install. Channel messages only: chats the bot is added to stay @mention-only.
 */
export const AGENT_DESK_PERMISSION = {
  name: 'ChannelMessage.Read.Group',
  type: 'Application',
} as const;

const PROJECT_ROOT = path.resolve(__dirname, '..');
const ICONS_DIRECTORY = path.join(PROJECT_ROOT, 'deploymentTemplates', 'teams');
const DEFAULT_OUTPUT_DIRECTORY = path.join(PROJECT_ROOT, 'dist', 'teams-app');
const MANIFEST_PACKAGE_ENTRY = require.resolve('@microsoft/app-manifest');
const SCHEMA_FILE = require.resolve(
  `@microsoft/app-manifest/build/json-schemas/teams/v${TEAMS_MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
);
/** The manifest schema's own `guid` pattern, checked before building so the message can name the key. */
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/u;
/** Zip entries carry this date, so the same config and icons give the same bytes. */
const ZIP_ENTRY_DATE = new Date(2020, 0, 1);

const PackageJson = z.object({ version: z.string().min(1) });

export interface TeamsAppPackageOptions {
  /** The variables to read config from: `process.env` after dotenv in the CLI, a plain object in tests. */
  environment: Readonly<Record<string, string | undefined>>;
  /** Where the zip goes. Default: `dist/teams-app` in the project. */
  outputDirectory?: string;
}

export interface TeamsAppPackage {
  /** Absolute path of the written zip. */
  zipPath: string;
  /** The manifest inside it, already validated against the schema. */
  manifest: TeamsManifest;
}

/**
 * Builds the manifest from config and the project's version, validates it against the bundled schema, and
 * writes `<assistant name>-<version>.zip` with the manifest and the icons at its root.
 *
 * @throws AppError `config_invalid` naming the keys to fix: a bad environment, no `MicrosoftAppId` (or not a
 * GUID), or a value the schema rejects (an `ASSISTANT_NAME` longer than Teams allows, say).
 */
export async function buildTeamsAppPackage(
  options: TeamsAppPackageOptions,
): Promise<TeamsAppPackage> {
  const config = loadConfig(options.environment);
  const version = await readProjectVersion();
  const manifest = buildTeamsManifest({ config, version });
  const problems = await validateTeamsManifest(manifest);
  if (problems.length > 0) throw manifestError(problems);

  const files: Record<string, Uint8Array> = {
    'manifest.json': new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`),
  };
  for (const icon of Object.values(TEAMS_ICON_FILES)) {
    files[icon.file] = await readIcon(icon);
  }
  const zip = zipSync(
    Object.fromEntries(
      Object.entries(files).map(([name, bytes]) => [name, [bytes, { mtime: ZIP_ENTRY_DATE }]]),
    ),
    { level: 9 },
  );
  const outputDirectory = path.resolve(options.outputDirectory ?? DEFAULT_OUTPUT_DIRECTORY);
  await mkdir(outputDirectory, { recursive: true });
  const zipPath = path.join(outputDirectory, `${fileSlug(config.assistant.name)}-${version}.zip`);
  await writeFile(zipPath, zip);
  return { zipPath, manifest };
}

/**
 * The manifest for this config: one bot (the Azure Bot's app id) in personal chats, group chats and teams, with
 * the agent desk's resource-specific consent.
 *
 * @throws AppError `config_invalid` naming `MicrosoftAppId` when it is missing or not a GUID.
 */
export function buildTeamsManifest(options: {
  config: Readonly<AppConfig>;
  version: string;
}): TeamsManifest {
  const { config, version } = options;
  const botId = requireBotId(config);
  const { name: assistantName, companyName } = config.assistant;
  return {
    $schema: `https://developer.microsoft.com/json-schemas/teams/v${TEAMS_MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
    manifestVersion: TEAMS_MANIFEST_VERSION,
    version,
    id: config.teams.appId ?? botId,
    developer: {
      name: companyName,
      websiteUrl: config.teams.developerWebsiteUrl,
      privacyUrl: config.teams.privacyUrl,
      termsOfUseUrl: config.teams.termsOfUseUrl,
    },
    name: { short: assistantName, full: `${assistantName} from ${companyName}` },
    description: {
      short: 'Your orders, deliveries, returns and warranties, answered in chat.',
      full:
        `${assistantName} is the after-sales assistant of ${companyName}. Ask in your own words about your orders, ` +
        `deliveries, returns, refunds and warranties: ${assistantName} looks them up and changes nothing ` +
        'without your explicit yes. Ask for a person at any time, and someone from our customer care team ' +
        'takes over the conversation.\n\n' +
        `Customer care teams: add ${assistantName} to the team whose channel is your agent desk. With the ` +
        "team owner's consent it reads that team's channel messages, so agents answer customers without " +
        `@mentioning ${assistantName}.`,
    },
    icons: { color: TEAMS_ICON_FILES.color.file, outline: TEAMS_ICON_FILES.outline.file },
    accentColor: TEAMS_ACCENT_COLOR,
    bots: [
      {
        botId,
        scopes: ['personal', 'team', 'groupChat'],
        supportsFiles: false,
        isNotificationOnly: false,
        commandLists: [
          {
            // Customers talk to the assistant one to one; the team scope is the agents' desk.
            scopes: ['personal'],
            commands: [
              {
                title: 'Where is my order?',
                description: 'Track a delivery and see when it arrives',
              },
              {
                title: 'Return an item',
                description: 'Start a return or an exchange of something you bought',
              },
              {
                title: 'Talk to a person',
                description: 'Hand the conversation to someone from our customer care team',
              },
            ],
          },
        ],
      },
    ],
    validDomains: [...config.teams.validDomains],
    // Teams grants resource-specific consent to the Microsoft Entra app named here, which for a bot is the bot's
    // own app id. `resource` only matters for single sign-on, which this app does not use; Microsoft's RSC
    // instructions ask for a value all the same.
    webApplicationInfo: { id: botId, resource: 'https://RscPermission' },
    authorization: { permissions: { resourceSpecific: [{ ...AGENT_DESK_PERMISSION }] } },
  };
}

/** One way a manifest breaks the schema: where (a JSON pointer, `''` for the root) and what. */
export interface TeamsManifestProblem {
  path: string;
  message: string;
}

/** The slice of ajv's API the validation uses (the package's own types come with the ajv it resolves). */
interface SchemaValidator {
  (data: unknown): boolean;
  errors?: { instancePath: string; message?: string }[] | null;
}
interface DraftFourAjv {
  compile(schema: object): SchemaValidator;
}
type DraftFourAjvConstructor = new (options: {
  allErrors: boolean;
  strictTypes: boolean;
}) => DraftFourAjv;
type AddFormats = (ajv: DraftFourAjv, formats: string[]) => void;

let validatorLoading: Promise<SchemaValidator> | undefined;

/**
 * The Teams schemas are JSON Schema draft-04, which ajv 8 reads only through `ajv-draft-04`. Both come with
 * `@microsoft/app-manifest`, whose own validator is set up the same way, so they are loaded from there: the
 * `ajv` the project root resolves is eslint's ajv 6. (The package's validator itself cannot load under jest: it
 * imports an ES-module-only dependency.)
 */
async function loadValidator(): Promise<SchemaValidator> {
  const requireFromManifestPackage = createRequire(MANIFEST_PACKAGE_ENTRY);
  const Ajv = (requireFromManifestPackage('ajv-draft-04') as { default: DraftFourAjvConstructor })
    .default;
  const addFormats = (requireFromManifestPackage('ajv-formats') as { default: AddFormats }).default;
  const schema = JSON.parse(await readFile(SCHEMA_FILE, 'utf8')) as object;
  // Microsoft's schemas use keywords without the types strict mode wants next to them.
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  addFormats(ajv, ['uri', 'email', 'regex']);
  return ajv.compile(schema);
}

/**
 * Checks any JSON value against the bundled v1.30 schema. Offline: the schema is the installed file, and the
 * manifest's `$schema` URL is never fetched. Returns no problems when the manifest is valid.
 */
export async function validateTeamsManifest(manifest: unknown): Promise<TeamsManifestProblem[]> {
  validatorLoading ??= loadValidator();
  const validate = await validatorLoading;
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((error) => ({
    path: error.instancePath,
    message: error.message ?? 'is invalid',
  }));
}

/** The config keys behind the manifest fields that come from config, for messages that say what to change. */
const KEYS_BY_MANIFEST_FIELD: ReadonlyArray<[field: string, keys: string[]]> = [
  ['/name/short', ['ASSISTANT_NAME']],
  ['/name/full', ['ASSISTANT_NAME', 'COMPANY_NAME']],
  ['/description/full', ['ASSISTANT_NAME', 'COMPANY_NAME']],
  ['/developer/name', ['COMPANY_NAME']],
  ['/validDomains', ['TEAMS_VALID_DOMAINS']],
];

function manifestError(problems: TeamsManifestProblem[]): AppError {
  const keys = new Set<string>();
  const lines = problems.map(({ path: field, message }) => {
    const fieldKeys =
      KEYS_BY_MANIFEST_FIELD.find(
        ([prefix]) => field === prefix || field.startsWith(`${prefix}/`),
      )?.[1] ?? [];
    for (const key of fieldKeys) keys.add(key);
    const hint = fieldKeys.length > 0 ? ` (from ${fieldKeys.join(', ')})` : '';
    return `  ${field || '(manifest)'}${hint}: ${message}`;
  });
  return new AppError(
    'config_invalid',
    `The Teams app manifest does not match schema v${TEAMS_MANIFEST_VERSION}:\n${lines.join('\n')}`,
    { details: { keys: [...keys], problems } },
  );
}

function requireBotId(config: Readonly<AppConfig>): string {
  const botId = config.bot.appId;
  if (botId !== null && GUID.test(botId)) return botId;
  const problem =
    botId === null
      ? "is required for the Teams app package: set it to the Azure Bot's Microsoft App ID"
      : "must be a GUID for the Teams app package: the Azure Bot's Microsoft App ID";
  throw new AppError('config_invalid', `Invalid configuration:\n  MicrosoftAppId: ${problem}`, {
    details: { keys: ['MicrosoftAppId'] },
  });
}

async function readProjectVersion(): Promise<string> {
  const text = await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8');
  return PackageJson.parse(JSON.parse(text)).version;
}

/** Reads a committed icon and checks its size from the PNG header, so a wrong file fails here, not in Teams. */
async function readIcon(icon: { file: string; size: number }): Promise<Uint8Array> {
  const file = path.join(ICONS_DIRECTORY, icon.file);
  const bytes = await readFile(file);
  const size = pngSize(bytes);
  if (size === null || size.width !== icon.size || size.height !== icon.size) {
    const found = size === null ? 'not a PNG' : `${size.width}×${size.height}`;
    throw new Error(
      `${path.relative(PROJECT_ROOT, file)} is ${found}; Teams requires a ${icon.size}×${icon.size} PNG ` +
        '(npm run teams:icons draws it again)',
    );
  }
  return bytes;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk, which the format requires to come first. */
function pngSize(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
  if (bytes.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** `Ava` → `ava`, `Ask Contoso!` → `ask-contoso`: a file name any system accepts. */
function fileSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, '-')
    .replace(/^-+|-+$/gu, '');
  return slug === '' ? 'teams-app' : slug;
}
