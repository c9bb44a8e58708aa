import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);
const publicDir = fileURLToPath(new URL('./public/', import.meta.url));

/**
 * The console's static files, by a fixed list (no path from the request ever reaches the file
 * system): its CSS and JS, the icon, and ECharts from node_modules (served here, no CDN).
 */
const files: Record<string, { path: string; type: string }> = {
  'console.css': { path: `${publicDir}console.css`, type: 'text/css; charset=utf-8' },
  'console.js': { path: `${publicDir}console.js`, type: 'text/javascript; charset=utf-8' },
  'reports.js': { path: `${publicDir}reports.js`, type: 'text/javascript; charset=utf-8' },
  'icon.svg': { path: fileURLToPath(new URL('../public/icon.svg', import.meta.url)), type: 'image/svg+xml' },
  'echarts.min.js': { path: require.resolve('echarts/dist/echarts.min.js'), type: 'text/javascript; charset=utf-8' },
};

export function assetRoutes(app: FastifyInstance): void {
  const cache = new Map<string, Buffer>();
  app.get<{ Params: { name: string } }>('/assets/:name', async (req, reply) => {
    const f = Object.hasOwn(files, req.params.name) ? files[req.params.name] : undefined;
    if (!f) return reply.code(404).type('text/plain; charset=utf-8').send('not found');
    let body = cache.get(req.params.name);
    if (!body) {
      body = await readFile(f.path);
      if (process.env.NODE_ENV === 'production') cache.set(req.params.name, body);
    }
    return reply.type(f.type).header('cache-control', 'public, max-age=300').header('x-content-type-options', 'nosniff').send(body);
  });
}
