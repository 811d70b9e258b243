/** Vite's `?raw` imports (a file's text), e.g. the README for tests that hold code to what it documents. */
declare module "*?raw" {
  const text: string;
  export default text;
}
