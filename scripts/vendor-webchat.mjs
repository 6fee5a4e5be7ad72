// Puts the official Bot Framework Web Chat browser bundle at public/vendor/webchat.js, so the chat page needs no
// CDN at run time. Runs on `npm install` (postinstall) and as `npm run vendor:webchat`.
//
// Why not a dependency: `npm install botframework-webchat` brings about 517 MB of packages (React, speech
// SDKs, a 147 MB stats.json) to use one self-contained 3.9 MB file. Instead this asks npm for the package's
// tarball alone (7 MB, from the npm registry, checked by npm against the registry's sha512), takes
// dist/webchat.js out of it, and checks that file against the hash pinned below.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = '4.18.1';
const BUNDLE_SHA256 = '0a68ad0a64fc04d621197da10c3eec0f843e16f7d03f6bcbed29b47517cf9bff';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'public', 'vendor', 'webchat.js');

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

if (existsSync(target) && sha256(target) === BUNDLE_SHA256) {
  console.log(`vendor-webchat: Web Chat ${VERSION} already in place`);
  process.exit(0);
}

const work = mkdtempSync(path.join(tmpdir(), 'webchat-'));
try {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const packed = execFileSync(npm, ['pack', `botframework-webchat@${VERSION}`, '--silent', '--pack-destination', work], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .trim()
    .split('\n')
    .at(-1);
  execFileSync('tar', ['-xzf', path.join(work, packed), '-C', work, 'package/dist/webchat.js'], { stdio: 'inherit' });
  const extracted = path.join(work, 'package', 'dist', 'webchat.js');
  const actual = sha256(extracted);
  if (actual !== BUNDLE_SHA256) {
    throw new Error(`webchat.js of botframework-webchat@${VERSION} has sha256 ${actual}, expected ${BUNDLE_SHA256}`);
  }
  mkdirSync(path.dirname(target), { recursive: true });
  renameSync(extracted, target);
  console.log(`vendor-webchat: Web Chat ${VERSION} installed at public/vendor/webchat.js`);
} catch (error) {
  // The assistant still runs without the page's bundle; say what to do instead of failing the install.
  console.error(`vendor-webchat: could not install Web Chat (${error.message}).`);
  console.error('vendor-webchat: run `npm run vendor:webchat` again later, or set WEBCHAT_BUNDLE_URL.');
  process.exitCode = process.env.CI ? 1 : 0;
} finally {
  rmSync(work, { recursive: true, force: true });
}
