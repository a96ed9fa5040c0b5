// Child process for the audit kill test: appends large records in a loop until killed.
//   node test/helpers/audit-child.ts <home>
import { appendRecord, auditPaths } from '../../src/adapters/audit/store.ts';

const [home] = process.argv.slice(2) as [string];
// Large enough that one write spans many pages, so a kill can land inside it.
const bulk = 'x'.repeat(512 * 1024);
for (let i = 0; ; i++) {
  process.stdout.write('start\n');
  await appendRecord(auditPaths(home), {
    time: new Date().toISOString(),
    user: 'child',
    host: 'test',
    command: `nemoclaw child ${i}`,
    plan: { bulk },
    result: { exitCode: 0 },
  });
}
