export { PackConfigError, PackError, PackInputError, PackRemoteError } from '../errors.js';
export type { CommonPackOptions } from '../pack-options.js';
export { type FsPackOptions, fsPack } from './fs-pack.js';
export { Jail, type JailedPath, type WritablePath } from './jail.js';
export type { ListEntry, ListResult } from './list.js';
export type { SearchMatch, SearchQuery, SearchResult } from './search.js';
export type { EditResult, WriteResult } from './write.js';
