import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { defineConfig } from 'vitest/config';
import type { Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// embed.js runs on other people's pages, so it is built on its own: one IIFE with no imports, no
// globals and no content hash (its URL is what blogs paste; chatd serves it with a short max-age).
function embedLoader(): Plugin {
  return {
    name: 'chatd-embed-loader',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        root,
        logLevel: 'warn',
        publicDir: false,
        build: {
          outDir: resolve(root, 'dist'),
          emptyOutDir: false,
          target: 'es2017',
          minify: true,
          sourcemap: false,
          lib: {
            entry: resolve(root, 'src/embed/loader.ts'),
            formats: ['iife'],
            name: 'chatdEmbed',
            fileName: () => 'embed.js',
          },
        },
      });
    },
  };
}

// `npm run dev` forwards the API and the socket to a chatd running locally.
const devTarget = process.env.CHATD_DEV_URL ?? 'http://localhost:8080';

export default defineConfig({
  plugins: [react(), embedLoader()],
  server: {
    proxy: {
      '/api': { target: devTarget, changeOrigin: false },
      '/ws': { target: devTarget.replace(/^http/, 'ws'), ws: true },
    },
  },
  build: {
    target: 'es2022',
    rollupOptions: {
      input: {
        index: resolve(root, 'index.html'),
        embed: resolve(root, 'embed.html'),
      },
      output: {
        advancedChunks: {
          groups: [
            { name: 'vendor', test: /node_modules/ },
            { name: 'chat', test: /src\/(components|hooks|lib|i18n)\// },
          ],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    setupFiles: ['src/test/setup.ts'],
  },
});
