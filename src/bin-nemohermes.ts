// `nemohermes` is `nemoclaw --agent hermes`. It loads the nemoclaw entry so that `nemoclaw` itself
// stays a single small file with nothing shared to load first.
(globalThis as { __NEMOCLAW_AGENT__?: string }).__NEMOCLAW_AGENT__ = 'hermes';
await import('./bin-nemoclaw.ts');
