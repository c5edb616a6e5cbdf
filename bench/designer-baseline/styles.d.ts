// Vite bundles stylesheets imported for their side effect (main.ts imports React Flow's).
declare module '*.css';
