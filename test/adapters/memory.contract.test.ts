import { memoryPorts } from '#functions/adapters/memory/index.ts';
import { registerContract } from './register.contract.ts';

registerContract('in memory', async () => memoryPorts({ now: () => '2024-06-01T09:00:00.000Z', today: () => '2024-06-01' }));
