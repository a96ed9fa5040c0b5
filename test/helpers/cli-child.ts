// The CLI from source in a child process (for tests that need many real CLI processes at once):
//   node test/helpers/cli-child.ts <nemoclaw args…>
import { run } from '../../src/cli.ts';

await run();
