// Vite bundles stylesheets imported for their side effect (main.ts imports React Flow's).
declare module '*.css';
// …and hands out the URL of an asset imported with `?url` (ELK's worker script).
declare module '*?url' {
  const url: string;
  export default url;
}
