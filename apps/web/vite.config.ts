import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  // `@/` maps to src/ through tsconfig.json's `paths`, so TypeScript and Vite read one definition.
  resolve: { tsconfigPaths: true },
  server: {
    port: 5173,
    // In development the SPA and API run on separate ports; same-origin `/api` calls keep the client code identical
    // to production, where the API serves the built SPA.
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: true } },
  },
  build: { outDir: 'dist', sourcemap: true },
});
