// The deployment files under deploy/: the systemd unit template passes `systemd-analyze verify`
// (Debian's systemd package; .ci/run installs it, the test is skipped only where it is absent) and
// its hardening keeps `systemd-analyze security` exposure low; the unit and the pm2 ecosystem
// file both run exactly what `npm start` runs, one process per role, every role named once.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { realClockEnv } from '../helpers/real-clock-env.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const unitPath = join(root, 'deploy/systemd/linli@.service');
const unit = readFileSync(unitPath, 'utf8');
const roles = ['bots', 'workers', 'web'];
/** `npm start`'s command line after `node`. */
const startArgs = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start
  .replace(/^node\s+/, '')
  .split(/\s+/);
const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version'], { stdio: 'ignore' }).status === 0;

describe('deploy/systemd/linli@.service', () => {
  const dir = mkdtempSync(join(tmpdir(), 'linli-unit-'));
  copyFileSync(unitPath, join(dir, 'linli@.service'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const analyze = (...args: string[]) => spawnSync('systemd-analyze', args, { encoding: 'utf8', env: realClockEnv(), cwd: dir });

  test.skipIf(!hasSystemdAnalyze).each(roles)('linli@%s.service passes systemd-analyze verify with no warning', (role) => {
    const r = analyze('verify', '--man=no', `./linli@${role}.service`);
    expect({ status: r.status, out: `${r.stdout}${r.stderr}`.trim() }).toEqual({ status: 0, out: '' });
  });

  test.skipIf(!hasSystemdAnalyze)('is hardened: systemd-analyze security rates its exposure 2.0 or lower', () => {
    const r = analyze('security', '--offline=yes', '--threshold=20', './linli@web.service');
    expect(r.stdout).toMatch(/Overall exposure level for linli@web\.service: [01]\.\d|Overall exposure level for linli@web\.service: 2\.0/);
    expect(r.status).toBe(0);
  });

  test('the instance is the role, settings come from /etc/linli, and it runs what npm start runs', () => {
    expect(unit).toMatch(/^Environment=LINLI_ROLES=%i$/m);
    expect(unit).toMatch(/^EnvironmentFile=\/etc\/linli\/linli\.env$/m);
    expect(unit).toMatch(/^EnvironmentFile=-\/etc\/linli\/%i\.env$/m);
    const exec = /^ExecStart=\/usr\/bin\/env node (.+)$/m.exec(unit)?.[1];
    expect(exec?.split(/\s+/)).toEqual(startArgs);
    for (const option of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes', 'CapabilityBoundingSet=']) {
      expect(unit).toMatch(new RegExp(`^${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    }
    // Each instance name it documents is a role loadConfig accepts.
    for (const role of roles) expect([...loadConfig({ LINLI_ROLES: role }).roles]).toEqual([role]);
  });
});

describe('deploy/pm2/ecosystem.config.cjs', () => {
  interface App {
    name: string;
    cwd: string;
    script: string;
    interpreter: string;
    args: string[];
    env: Record<string, string>;
    instances: number;
    exec_mode: string;
  }
  const load = () => {
    const require = createRequire(import.meta.url);
    const path = join(root, 'deploy/pm2/ecosystem.config.cjs');
    delete require.cache[path];
    return require(path) as { apps: App[] };
  };

  test('loads as a CommonJS module and names every role exactly once, one bots process', () => {
    const { apps } = load();
    const byRole = apps.map((a) => [...loadConfig({ LINLI_ROLES: a.env.LINLI_ROLES }).roles]);
    expect(byRole.flat().sort()).toEqual([...roles].sort());
    expect(apps.map((a) => a.name)).toEqual(['linli-bots', 'linli-workers', 'linli-web']);
    const bots = apps.find((a) => a.env.LINLI_ROLES === 'bots')!;
    expect({ instances: bots.instances, exec_mode: bots.exec_mode }).toEqual({ instances: 1, exec_mode: 'fork' });
  });

  test('each app runs what npm start runs, from the repository, with the settings file', () => {
    const previous = process.env.LINLI_ENV_FILE;
    process.env.LINLI_ENV_FILE = '/srv/linli/test.env';
    try {
      for (const app of load().apps) {
        expect({ cwd: app.cwd, script: app.script, interpreter: app.interpreter }).toEqual({ cwd: root.replace(/\/$/, ''), script: 'node', interpreter: 'none' });
        expect(app.args).toEqual(['--env-file=/srv/linli/test.env', ...startArgs]);
        expect(app.env.NODE_ENV).toBe('production');
      }
    } finally {
      if (previous === undefined) delete process.env.LINLI_ENV_FILE;
      else process.env.LINLI_ENV_FILE = previous;
    }
  });
});
