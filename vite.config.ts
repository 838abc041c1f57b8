/// <reference types="vitest/config" />
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { antdStylesheet } from './scripts/antd-stylesheet.js';

/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside every script, style, page and SVG of the build;
 * the server sends the one the browser accepts (@fastify/static `preCompressed`, ADR 0013), so
 * nothing is compressed while serving.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'linli-precompress',
    apply: 'build',
    configResolved(c) {
      outDir = path.resolve(c.root, c.build.outDir);
    },
    async closeBundle() {
      const files = (fs.readdirSync(outDir, { recursive: true }) as string[])
        .map((f) => path.join(outDir, f))
        .filter((f) => /\.(js|css|html|svg|json)$/.test(f) && fs.statSync(f).size >= 1024);
      await Promise.all(
        files.map(async (f) => {
          const data = await fs.promises.readFile(f);
          const [br, gz] = await Promise.all([
            new Promise<Buffer>((ok, ko) =>
              zlib.brotliCompress(
                data,
                {
                  params: {
                    [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
                    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
                  },
                },
                (e, r) => (e ? ko(e) : ok(r)),
              ),
            ),
            new Promise<Buffer>((ok, ko) => zlib.gzip(data, { level: 9 }, (e, r) => (e ? ko(e) : ok(r)))),
          ]);
          await fs.promises.writeFile(`${f}.br`, br);
          await fs.promises.writeFile(`${f}.gz`, gz);
        }),
      );
    },
  };
}

// The web app lives in web/; the built files go to dist/web and are served by the API server.
export default defineConfig(({ command }) => ({
  root: 'web',
  plugins: [react(), antdStylesheet(import.meta.dirname), precompress()],
  resolve: {
    // React Router's package exports only its development build (warnings and checks kept in); the
    // production build sits beside it. The built app takes that one; `vite` in development the other.
    alias:
      command === 'build'
        ? [
            {
              find: /^react-router$/,
              replacement: path.resolve(
                import.meta.dirname,
                'node_modules/react-router/dist/production/index.mjs',
              ),
            },
          ]
        : [],
  },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // Every page is a lazy chunk (web/app/router.tsx); shared code is split by itself across them, so
    // the chart and map libraries load with the pages that draw them only. See bench/README.md (web).
    rolldownOptions: {
      treeshake: {
        // antd's building blocks declare no `sideEffects`, so a module imported for one export kept
        // every other module of its package: the form library came with antd's ConfigProvider on
        // every page. They have none (no bare imports, no globals): what is not used is left out.
        moduleSideEffects: (id: string) => !/[\\/]node_modules[\\/]@rc-component[\\/]/.test(id),
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
}));
