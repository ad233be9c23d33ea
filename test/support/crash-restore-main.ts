/**
 * Child process for the crash test: restores a checkpoint and kills itself with SIGKILL (no
 * cleanup, like a power cut or a killed extension host) after `crashAfter` files changed.
 * argv: storeDir workspace checkpointId crashAfter
 */
import { CheckpointStore } from '../../src/agent/checkpoints/checkpoint-store';

const [storeDir, workspace, id, crashAfter] = process.argv.slice(2);
const store = new CheckpointStore({ storeDir, workspace });
let changed = 0;
store.restore(id, {
  afterEachChange: () => {
    changed++;
    if (changed === Number(crashAfter)) process.kill(process.pid, 'SIGKILL');
  },
});
console.log('restore finished without crashing');
