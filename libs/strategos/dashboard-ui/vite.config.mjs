// Builds the dashboard's front end into the library's build output (served by the Nest controllers).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // Relative URLs: the page is served under whatever path forRoot({ path }) names.
  base: './',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../../dist/libs/strategos/dashboard-ui', import.meta.url)),
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    chunkSizeWarningLimit: 3000,
    reportCompressedSize: false,
  },
});
