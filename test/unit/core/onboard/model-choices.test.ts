import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { modelChoices } from '../../../../src/core/onboard/model-choices.ts';
import { findProvider, MODEL_RE } from '../../../../src/core/providers.ts';

const served = ['meta/llama-3.1-8b', 'nvidia/nemotron-mini', 'qwen2.5:7b'];
const valid = (v: string) => MODEL_RE.test(v);

describe('the searchable model list', () => {
  it('lists every served model with the default first when nothing is typed', () => {
    expect(modelChoices(served, '', { default: 'qwen2.5:7b' }).map((c) => c.value)).toEqual([
      'qwen2.5:7b',
      'meta/llama-3.1-8b',
      'nvidia/nemotron-mini',
    ]);
  });

  it('offers a default the endpoint does not list, marked as such', () => {
    const c = modelChoices(served, undefined, { default: 'gpt-5.4' });
    expect(c[0]).toEqual({
      value: 'gpt-5.4',
      name: 'gpt-5.4  (default, not listed by the endpoint)',
    });
    expect(c).toHaveLength(4);
  });

  it('filters by a case-insensitive substring, and still offers the typed text', () => {
    expect(modelChoices(served, 'NEMO', { valid }).map((c) => c.value)).toEqual([
      'nvidia/nemotron-mini',
      'NEMO',
    ]);
    expect(modelChoices(served, 'my-fine-tune', { valid })).toEqual([
      {
        value: 'my-fine-tune',
        name: 'my-fine-tune  (use this name; the endpoint does not list it)',
      },
    ]);
  });

  it('does not offer the typed text twice, nor one that is not a valid model name', () => {
    expect(modelChoices(served, 'qwen2.5:7b', { valid }).map((c) => c.value)).toEqual([
      'qwen2.5:7b',
    ]);
    expect(modelChoices(served, 'bad name!', { valid })).toEqual([]);
  });

  it("the NVIDIA prompt's default is the blueprint's default profile model", () => {
    const bp = parse(
      readFileSync(
        join(import.meta.dirname, '../../../../blueprints/0.1.0/blueprint.yaml'),
        'utf8',
      ),
    ) as { inference: { profiles: Record<string, { model: string }> } };
    expect(findProvider('build')!.defaultModel).toBe(bp.inference.profiles.default!.model);
  });
});
