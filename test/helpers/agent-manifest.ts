/** Agent manifests for the tests that run a generated install script on this host. */
import { join } from 'node:path';
import type { AgentManifest } from '../../src/core/agent-config/manifest.ts';

/** `m` with its config and state folders under `root`, owned by root (no sandbox user here). */
export function manifestUnder(m: AgentManifest, root: string): AgentManifest {
  return {
    ...m,
    config_dir: join(root, 'cfg'),
    config_file: join(root, 'cfg/openclaw.json'),
    config: {
      ...m.config,
      state_dir: join(root, 'data'),
      user: 'root',
      group: 'root',
      owner: 'root',
    },
  };
}
