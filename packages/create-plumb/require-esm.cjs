'use strict';
// create-plumb is an ES module. Node >= 20.19 loads it from require() too (require(esm)); older Node
// would throw ERR_REQUIRE_ESM, so this file (the "require" export condition) says what to do.
const node = typeof process === 'undefined' ? undefined : process.versions?.node;
// process.features.require_module is true where require(esm) works (Node 20.19+, 22.12+, Bun, Deno);
// older Node has it false or not at all. Elsewhere (a browser bundle) there is no Node to check.
if (node && !process.features?.require_module) {
  const error = new Error(
    'create-plumb is ESM-only and needs Node.js >= 20.19 to be loaded with require() ' +
      '(this is Node ' +
      process.version +
      '). Upgrade Node (20.19+, 22.12+ or 24), or load it with ' +
      'import(\'create-plumb\') / an ESM file ("type": "module" or .mjs). See the ESM-only policy: ' +
      'https://github.com/plumb-dev/plumb/blob/main/docs/installing.md#esm-only',
  );
  error.code = 'PLUMB_REQUIRE_ESM';
  throw error;
}
module.exports = require('./dist/index.js');
