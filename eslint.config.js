// ESLint: typescript-eslint's recommended rules, no import cycles, and nothing about layout
// (Prettier owns formatting; eslint-config-prettier turns off the rules that would disagree).
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/", "**/dist/", ".bench/", ".soak/", "**/.wrangler/", "test/node/fixtures/", "docs/"] },
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
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  // Plain JavaScript here is Node scripts (npm start, bench and soak runners); TypeScript checks names itself.
  { files: ["**/*.mjs", "**/*.js"], languageOptions: { globals: globals.node } },
  prettier,
);
