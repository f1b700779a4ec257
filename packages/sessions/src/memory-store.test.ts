import { MemorySessionStore } from '@plumb/agent';
import { describeStoreContract } from './store-contract.js';

describeStoreContract('MemorySessionStore', async () => new MemorySessionStore());
