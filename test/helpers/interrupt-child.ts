// Child for the interrupt test: declares an activity, says "ready", and waits to be interrupted.
//   node test/helpers/interrupt-child.ts <what> <next>
import { noteActivity } from '../../src/adapters/terminal/interrupt.ts';

const [what, next] = process.argv.slice(2) as [string, string];
const endOuter = noteActivity('the outer job', 'outer next');
noteActivity(() => what, next);
if (process.argv[4] === 'ended') endOuter();
process.stdout.write('ready\n');
setInterval(() => {}, 1000);
