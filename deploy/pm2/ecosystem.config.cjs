// pm2's ecosystem file: one Linli process per role, as the systemd units do.
//   pm2 start deploy/pm2/ecosystem.config.cjs && pm2 save
// Every process reads the same settings file (LINLI_ENV_FILE, default /etc/linli/linli.env: see
// README.md, "Environment variables") through Node's --env-file; the role is set here.
// linli-bots is exactly one process: a WeChat login, a Telegram long poll and the WeCom bot's
// connection cannot be shared. More workers: raise its `instances`. More web processes: add an
// app with role('linli-web2', 'web', { env: { …, PORT: '3001' } }) behind the same reverse proxy.
// pm2 starts the node binary itself (interpreter none), exactly as `npm start` does.
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const envFile = process.env.LINLI_ENV_FILE || '/etc/linli/linli.env';

/** One app: what `npm start` runs, with LINLI_ROLES set. */
function role(name, roles, extra = {}) {
  return {
    name,
    cwd: root,
    script: 'node',
    interpreter: 'none',
    args: [`--env-file=${envFile}`, '--max-old-space-size=256', '--import', 'tsx', 'src/main.ts'],
    env: { NODE_ENV: 'production', LINLI_ROLES: roles },
    instances: 1,
    exec_mode: 'fork',
    autorestart: true,
    restart_delay: 5000,
    max_restarts: 10,
    // Linli stops its workers and closes its connections on SIGTERM/SIGINT; give it the time.
    kill_timeout: 30000,
    merge_logs: true,
    time: true,
    ...extra,
  };
}

module.exports = {
  apps: [
    role('linli-bots', 'bots'),
    role('linli-workers', 'workers'),
    role('linli-web', 'web'),
  ],
};
