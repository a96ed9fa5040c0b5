/**
 * Issue 18 item 7: no side effect before validation. `rebuild --resume` and `onboard --resume`
 * read and check every state file they need before their first change, and name a damaged one.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.ts';
import { interruptedRebuild } from '../../helpers/rebuild-fixtures.ts';
import { sandboxEntry, useTestHome } from '../../helpers/context.ts';

const t = useTestHome({ prefix: 'nc-resume-', sandboxes: [sandboxEntry()] });

describe('doctor names damaged state files', () => {
  it('a damaged journal and an unreadable manifest are each named', async () => {
    const files = await interruptedRebuild(t.home);
    writeFileSync(files.manifest, '{"schemaVersion": 1, "id": 5}');
    const j = join(t.home, 'journal', 'alpha.json');
    writeFileSync(
      j,
      '{"schemaVersion": 1, "kind": "rebuild", "sandbox": "alpha", "steps": {"bogus": {}}}',
    );
    const r = await runCli(['doctor', '--json'], {
      NEMOCLAW_HOME: t.home,
      NEMOCLAW_OPENSHELL_BIN: '/nonexistent/openshell',
      DOCKER_HOST: 'unix:///nonexistent.sock',
    });
    expect(r.stdout).toContain(`state.damaged.${files.manifest}`);
    expect(r.stdout).toContain(`state.damaged.${j}`);
  });
});
