// Types for require('create-plumb'), which Node >= 20.19 answers with the ES module itself (require(esm)).
export * from './dist/index.js';
