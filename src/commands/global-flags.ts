/**
 * What the root program and every `nemoclaw <name>` program share: the global flags, commander's
 * suggestions and help width, errors thrown rather than exiting, and output through the injected io.
 */
import type { Command } from 'commander';
import { jsonRequested } from '../core/error-report.ts';
import type { MainIo } from '../main-io.ts';

export function withGlobalFlags(program: Command, io: MainIo): Command {
  return program
    .option('-q, --quiet', 'print only results and errors')
    .option('--verbose', 'also print the log on stderr')
    .option('--no-color', 'do not colour output (also NO_COLOR)')
    .showSuggestionAfterError(true)
    .configureHelp({ helpWidth: 100 })
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      // Under --json a usage error is printed once, as JSON, by runProgram.
      outputError: (s, write) => void (jsonRequested(io.argv) ? undefined : write(s)),
    });
}
