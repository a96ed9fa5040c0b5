/**
 * The generated docs must match the code: docs/commands.md is every command's --help, and the error
 * catalogue in docs/troubleshooting.md lists every error the sources can throw. Regenerate with
 * `node scripts/gen-docs.ts` when this fails.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  COMMANDS_DOC,
  TROUBLESHOOTING_DOC,
  errorCatalogue,
  renderCommandsDoc,
  renderTroubleshooting,
} from '../../../scripts/gen-docs.ts';
import { runCli } from '../../helpers/cli.ts';

describe('generated documentation', () => {
  it('docs/commands.md is what the commander program prints (node scripts/gen-docs.ts)', () => {
    expect(readFileSync(COMMANDS_DOC, 'utf8')).toBe(renderCommandsDoc());
  });

  it('the root section is byte for byte `nemoclaw --help`, and each command has its own section', async () => {
    const doc = readFileSync(COMMANDS_DOC, 'utf8');
    const help = await runCli(['--help'], { NEMOCLAW_HOME: '/nonexistent-docs-test' });
    expect(doc).toContain(`## \`nemoclaw\`\n\n\`\`\`text\n${help.stdout.trimEnd()}\n\`\`\``);
    for (const c of [
      'onboard',
      'list',
      'doctor',
      'debug',
      'gc',
      'uninstall',
      'completion',
      'blueprint verify',
    ]) {
      const h = await runCli([...c.split(' '), '--help'], {
        NEMOCLAW_HOME: '/nonexistent-docs-test',
      });
      expect(doc, c).toContain(h.stdout.trimEnd());
    }
  });

  it('docs/troubleshooting.md lists every error with its fix (node scripts/gen-docs.ts)', () => {
    const current = readFileSync(TROUBLESHOOTING_DOC, 'utf8');
    expect(current).toBe(renderTroubleshooting(current));
    const entries = errorCatalogue();
    expect(entries.length).toBeGreaterThan(50);
    expect(entries.filter((e) => e.fix).length / entries.length).toBeGreaterThan(0.7);
  });
});
