/**
 * The OpenShell sandbox policy (openshell-contract.md §3), as a zod schema. It mirrors OpenShell's
 * parser (every struct rejects unknown keys) and the checks OpenShell runs before it accepts a
 * policy, so that nemoclaw refuses locally, with a YAML path, what `policy set` would refuse later.
 */
import { z } from 'zod';
import { findAmbiguities } from './ambiguity.ts';
import { NetworkPoliciesSchema } from './entry-schema.ts';

// The network policy entries live in their own module (ambiguity.ts reads their types); they are
// re-exported here so that schema.ts stays the one place to import the policy from.
export * from './entry-schema.ts';

export const MAX_FILESYSTEM_PATHS = 256;
export const MAX_PATH_LENGTH = 4096;
export const MAX_MIDDLEWARES = 10;
const MAX_SANDBOX_ID = 4294967294;

const FsPath = z
  .string()
  .max(MAX_PATH_LENGTH, `path must be at most ${MAX_PATH_LENGTH} characters`)
  .refine((p) => p.startsWith('/'), 'path must be absolute (start with /)')
  .refine((p) => !p.split('/').includes('..'), 'path must not contain a ".." component');

export const FilesystemPolicySchema = z
  .strictObject({
    include_workdir: z.boolean().optional(),
    read_only: z.array(FsPath).optional(),
    read_write: z
      .array(
        FsPath.refine((p) => p.replace(/\/+$/, '') !== '', '"/" is too broad to be read-write'),
      )
      .optional(),
  })
  .superRefine((fs, ctx) => {
    const n = (fs.read_only?.length ?? 0) + (fs.read_write?.length ?? 0);
    if (n > MAX_FILESYSTEM_PATHS) {
      ctx.addIssue({
        code: 'custom',
        message: `too many filesystem paths (${n} > ${MAX_FILESYSTEM_PATHS})`,
      });
    }
  });

/** `sandbox` or a non-root UID/GID; root (0) and the invalid-ID sentinel are refused. */
export function isValidSandboxIdentity(v: string): boolean {
  if (v === 'sandbox') return true;
  if (!/^[0-9]+$/.test(v)) return false;
  const n = Number(v);
  return n >= 1 && n <= MAX_SANDBOX_ID;
}

const Identity = z
  .string()
  .refine(
    isValidSandboxIdentity,
    `must be "sandbox" or a numeric UID/GID from 1 to ${MAX_SANDBOX_ID} (root is refused)`,
  );

export const LandlockSchema = z.strictObject({
  compatibility: z.enum(['best_effort', 'hard_requirement']).optional(),
});

export const ProcessSchema = z.strictObject({
  run_as_user: Identity.optional(),
  run_as_group: Identity.optional(),
});

export const MiddlewareSchema = z.strictObject({
  name: z.string().optional(),
  middleware: z.string().min(1),
  order: z.number().int().optional(),
  config: z.unknown().optional(),
  on_error: z.enum(['fail_closed', 'fail_open']).optional(),
  endpoints: z.strictObject({
    include: z.array(z.string().min(1)).min(1),
    exclude: z.array(z.string().min(1)).optional(),
  }),
});

export const PolicySchema = z
  .strictObject({
    version: z.literal(1, { error: 'version must be 1' }),
    filesystem_policy: FilesystemPolicySchema.optional(),
    landlock: LandlockSchema.optional(),
    process: ProcessSchema.optional(),
    network_policies: NetworkPoliciesSchema.optional(),
    network_middlewares: z.record(z.string().min(1), MiddlewareSchema).optional(),
  })
  .superRefine((p, ctx) => {
    for (const a of findAmbiguities(p.network_policies ?? {})) {
      ctx.addIssue({
        code: 'custom',
        path: ['network_policies', a.right.key, 'endpoints', a.right.endpoint],
        message:
          `overlaps network_policies.${a.left.key}.endpoints[${a.left.endpoint}] ` +
          `with conflicting settings (${a.conflicts.join('; ')}); OpenShell refuses that`,
      });
    }
    const mws = Object.entries(p.network_middlewares ?? {});
    if (mws.length > MAX_MIDDLEWARES) {
      ctx.addIssue({
        code: 'custom',
        path: ['network_middlewares'],
        message: `too many middleware configs (${mws.length} > ${MAX_MIDDLEWARES})`,
      });
    }
    const seen = new Map<number, string>();
    for (const [name, mw] of mws) {
      const order = mw.order ?? 0;
      const first = seen.get(order);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['network_middlewares', name, 'order'],
          message: `middleware configs '${first}' and '${name}' use the same order ${order}`,
        });
      } else seen.set(order, name);
    }
  });
export type Policy = z.infer<typeof PolicySchema>;

/** The sections OpenShell locks at creation: a live change to them is refused. */
export const STATIC_SECTIONS = ['filesystem_policy', 'landlock', 'process'] as const;

/** `presets/<name>.yaml`: a header, then `network_policies` entries merged into the live policy. */
export const PresetFileSchema = z.strictObject({
  preset: z.strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'preset names are lower-case letters, digits and dashes'),
    description: z.string().min(1),
  }),
  network_policies: NetworkPoliciesSchema.refine(
    (n) => Object.keys(n).length > 0,
    'a preset must add at least one network policy entry',
  ),
});
export type PresetFile = z.infer<typeof PresetFileSchema>;

/**
 * A custom policy file (`policy-add --from-file`): the preset format, or just `network_policies`
 * (then the file name names it). A whole policy with `version` is accepted too, but only its
 * network entries are used: static sections cannot change on a live sandbox.
 */
export const CustomPolicyFileSchema = z.strictObject({
  preset: PresetFileSchema.shape.preset.optional(),
  version: z.literal(1, { error: 'version must be 1' }).optional(),
  network_policies: PresetFileSchema.shape.network_policies,
});
export type CustomPolicyFile = z.infer<typeof CustomPolicyFileSchema>;

export const TierNameSchema = z.enum(['restricted', 'balanced', 'open']);
export type TierName = z.infer<typeof TierNameSchema>;

export const TiersFileSchema = z.strictObject({
  default: TierNameSchema,
  tiers: z.strictObject({
    restricted: z.strictObject({ description: z.string(), presets: z.array(z.string()) }),
    balanced: z.strictObject({ description: z.string(), presets: z.array(z.string()) }),
    open: z.strictObject({ description: z.string(), presets: z.array(z.string()) }),
  }),
});
export type TiersFile = z.infer<typeof TiersFileSchema>;
