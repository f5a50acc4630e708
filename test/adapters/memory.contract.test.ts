import { createMemoryAdapters } from '#functions/adapters/memory/index.ts';
import { registerContract } from './register.contract.ts';

registerContract('in memory', async () => createMemoryAdapters());
