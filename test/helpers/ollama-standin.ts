/**
 * A stand-in for the ollama/ollama image, built locally from busybox: `nc -ll -e` runs a shell
 * handler (test/fixtures/ollama-standin.sh) per connection that answers the parts of Ollama's API onboarding uses, keeping pulled
 * models as files under /root/.ollama/models (the model volume), like the real server:
 * - GET /api/tags, GET /v1/models: the pulled models;
 * - POST /api/pull {model}: an NDJSON progress stream ending in {"status":"success"}, or
 *   {"error":"pull model manifest: file does not exist"} for a model named no-such-*;
 *   each pull is appended to /root/.ollama/pulls;
 * - POST /v1/chat/completions: an answer for a pulled model, else Ollama's 404
 *   `model "x" not found, try pulling it first`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importBusyboxImage, uniqueName } from './docker.ts';

const HANDLER = readFileSync(join(import.meta.dirname, '../fixtures/ollama-standin.sh'), 'utf8');

/** Builds the stand-in image; everything it is run as carries the test label via the caller. */
export async function buildOllamaStandin(): Promise<string> {
  const tag = `${uniqueName('nc-test-ollama')}:1`;
  await importBusyboxImage(tag, {
    extra: [{ path: '/handler.sh', content: HANDLER, mode: 0o755 }],
    cmd: ['/bin/busybox', 'nc', '-ll', '-p', '11434', '-e', '/handler.sh'],
  });
  return tag;
}
