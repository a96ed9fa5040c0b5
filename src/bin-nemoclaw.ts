import { run } from './cli.ts';

const agent = (globalThis as { __NEMOCLAW_AGENT__?: string }).__NEMOCLAW_AGENT__;
await run(agent === 'hermes' ? 'hermes' : undefined);
