import { packageProject } from '../../vitest.shared.ts';

const project = packageProject('@plumb/durable');
// The shared conditions include 'import', which vitest also hands to Node's require(): pg then
// loads pg-pool's ESM build through require() and breaks. Node adds 'import' and 'require' by
// itself, so this package resolves with the rest only.
const conditions = ['@plumb/source', 'node', 'default'];
project.resolve = { ...project.resolve, conditions };
project.ssr = { ...project.ssr, resolve: { ...project.ssr?.resolve, conditions } };

export default project;
