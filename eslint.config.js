// ESLint: typescript-eslint's recommended rules, no import cycles, the layers of src/, and nothing about
// layout (Prettier owns formatting; eslint-config-prettier turns off the rules that would disagree).
import { readdirSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import globals from "globals";
import tseslint from "typescript-eslint";

/**
 * The layers of src/, ground floor first (docs/architecture.md, "Layers"): a module imports from its
 * own layer and the ones below it, never from one above. A path is a file or a whole folder.
 */
const LAYERS = [
  {
    name: "the ground floor (vocabulary)",
    paths: [
      "src/errors.ts",
      "src/config.ts",
      "src/config-values.ts",
      "src/fields.ts",
      "src/schemas.ts",
      "src/request-schema.ts",
      "src/steps.ts",
      "src/warnings.ts",
      "src/respond.ts",
      "src/request-json.ts",
      "src/lazy.ts",
      "src/json",
    ],
  },
  { name: "http/", paths: ["src/http"] },
  { name: "upstream/", paths: ["src/upstream"] },
  { name: "turn/", paths: ["src/turn"] },
  { name: "the routes and their contract", paths: ["src/routes", "src/openapi", "src/env.ts"] },
  { name: "the entries", paths: ["src/app.ts", "src/index.ts", "src/node"] },
];

// A module in no layer would escape the rule: every file under src/ must be in exactly one.
const inLayer = (file) => LAYERS.filter(({ paths }) => paths.some((path) => file === path || file.startsWith(`${path}/`)));
// Paths are the repository's, wherever ESLint runs from.
const root = fileURLToPath(new URL(".", import.meta.url));
const strays = readdirSync(`${root}src`, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => relative(root, `${entry.parentPath ?? entry.path}/${entry.name}`))
  .filter((file) => inLayer(file).length !== 1);
if (strays.length > 0) throw new Error(`eslint.config.js: put each of ${strays.join(", ")} in one of LAYERS`);

/** One zone per layer: what it may not import (every layer above it). */
const layerZones = LAYERS.slice(0, -1).map((layer, i) => ({
  target: layer.paths,
  from: LAYERS.slice(i + 1).flatMap(({ paths }) => paths),
  message: `${layer.name} imports only from its own layer and those below it ("Layers" in docs/architecture.md).`,
}));

export default tseslint.config(
  // public/: the generated contract files and a link to Scalar's published bundle (wrangler.toml [assets]).
  { ignores: ["**/node_modules/", "**/dist/", ".bench/", ".soak/", "**/.wrangler/", "test/node/fixtures/", "docs/", "public/"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    plugins: { "import-x": importX },
    settings: {
      // import-x parses each imported module itself: TypeScript ones with typescript-eslint's parser.
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".mts", ".tsx"] },
      "import-x/extensions": [".ts", ".mts", ".tsx", ".js", ".mjs"],
      "import-x/resolver-next": [
        createTypeScriptImportResolver({
          project: ["tsconfig.json", "demo/tsconfig.json", "packages/*/tsconfig.build.json"],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      // The architecture's one hard rule about imports: no module depends on itself through others.
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      // And no arrow back up the house: a lower layer never imports a higher one.
      "import-x/no-restricted-paths": ["error", { basePath: root, zones: layerZones }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  // Small modules: no source file of the relay or its packages over 400 lines (issue 23).
  { files: ["src/**/*.ts", "packages/*/src/**/*.ts"], rules: { "max-lines": ["error", { max: 400 }] } },
  // Plain JavaScript here is Node scripts (npm start, bench and soak runners); TypeScript checks names itself.
  { files: ["**/*.mjs", "**/*.js"], languageOptions: { globals: globals.node } },
  prettier,
);
