/**
 * The network policy entries of the OpenShell sandbox policy (openshell-contract.md §3): endpoints,
 * their L7 rules and the binaries allowed to use them. Split from schema.ts so that the ambiguity
 * check, which the policy schema runs, reads these types without importing the policy schema.
 */
import { z } from 'zod';
import { validateEndpoint } from './endpoint-rules.ts';

/** Keys OpenShell composes from providers; a policy we write must never contain them. */
export const RESERVED_KEY_PREFIX = '_provider_';

const Port = z.number().int().min(1, 'port must be 1-65535').max(65535, 'port must be 1-65535');

export const QueryMatcherSchema = z.union([
  z.string(),
  z.strictObject({ any: z.array(z.string()).min(1) }),
]);
export type QueryMatcher = z.infer<typeof QueryMatcherSchema>;

// MCP params may nest; OpenShell flattens them. Kept loose below the first level.
const ParamsSchema = z.record(z.string(), z.unknown());

const l7Fields = {
  method: z.string().min(1).optional(),
  path: z.string().min(1).optional(),
  command: z.string().min(1).optional(),
  query: z.record(z.string(), QueryMatcherSchema).optional(),
  operation_type: z.string().optional(),
  operation_name: z.string().optional(),
  fields: z.array(z.string()).optional(),
  tool: QueryMatcherSchema.optional(),
  params: ParamsSchema.optional(),
};

export const AllowSchema = z.strictObject(l7Fields);
export type L7Allow = z.infer<typeof AllowSchema>;
export const RuleSchema = z.strictObject({ allow: AllowSchema });
export const DenyRuleSchema = z.strictObject(l7Fields);
export type L7Deny = z.infer<typeof DenyRuleSchema>;

export const PROTOCOLS = ['rest', 'websocket', 'graphql', 'sql', 'json-rpc', 'mcp', 'tcp'] as const;
export const ACCESS_LEVELS = ['read-only', 'read-write', 'full'] as const;

const GraphqlOperationSchema = z.strictObject({
  operation_type: z.string().optional(),
  operation_name: z.string().optional(),
  fields: z.array(z.string()).optional(),
});

export const EndpointSchema = z
  .strictObject({
    host: z.string().optional(),
    path: z.string().optional(),
    port: Port.optional(),
    ports: z.array(Port).optional(),
    // OpenShell lower-cases the protocol before it compares it.
    protocol: z
      .string()
      .refine(
        (p) => (PROTOCOLS as readonly string[]).includes(p.toLowerCase()),
        `protocol must be one of ${PROTOCOLS.join(', ')} (omit it for an L4 passthrough)`,
      )
      .optional(),
    tls: z.enum(['skip', 'terminate', 'passthrough']).optional(),
    enforcement: z.enum(['enforce', 'audit']).optional(),
    access: z.enum(ACCESS_LEVELS).optional(),
    rules: z.array(RuleSchema).optional(),
    allowed_ips: z.array(z.string().min(1)).optional(),
    deny_rules: z.array(DenyRuleSchema).optional(),
    allow_encoded_slash: z.boolean().optional(),
    websocket_credential_rewrite: z.boolean().optional(),
    request_body_credential_rewrite: z.boolean().optional(),
    allow_uninspected_credentials: z.boolean().optional(),
    persisted_queries: z.enum(['deny', 'allow_registered']).optional(),
    graphql_persisted_queries: z.record(z.string(), GraphqlOperationSchema).optional(),
    graphql_max_body_bytes: z.number().int().nonnegative().optional(),
    credential_signing: z.enum(['sigv4', 'sigv4:body', 'sigv4:no_body']).optional(),
    signing_service: z.string().optional(),
    signing_region: z.string().optional(),
    credential_binding: z.strictObject({ provider: z.string().min(1) }).optional(),
    json_rpc: z
      .strictObject({ max_body_bytes: z.number().int().nonnegative().optional() })
      .optional(),
    mcp: z
      .strictObject({
        max_body_bytes: z.number().int().nonnegative().optional(),
        strict_tool_names: z.boolean().optional(),
        allow_all_known_mcp_methods: z.boolean().optional(),
      })
      .optional(),
  })
  .superRefine((ep, ctx) => {
    for (const { path, message } of validateEndpoint(ep)) {
      ctx.addIssue({ code: 'custom', path, message });
    }
  });
export type Endpoint = z.infer<typeof EndpointSchema>;

export const BinarySchema = z.strictObject({
  path: z.string().min(1),
  /** Deprecated in OpenShell and ignored; still accepted there. */
  harness: z.boolean().optional(),
});

export const NetworkPolicyEntrySchema = z.strictObject({
  name: z.string().optional(),
  endpoints: z.array(EndpointSchema).optional(),
  binaries: z.array(BinarySchema).optional(),
});
export type NetworkPolicyEntry = z.infer<typeof NetworkPolicyEntrySchema>;

const NetworkPolicyKey = z
  .string()
  .min(1, 'network policy keys must not be empty')
  .refine(
    (k) => !k.startsWith(RESERVED_KEY_PREFIX),
    `keys starting with ${RESERVED_KEY_PREFIX} are reserved for OpenShell's provider entries`,
  );

export const NetworkPoliciesSchema = z.record(NetworkPolicyKey, NetworkPolicyEntrySchema);
export type NetworkPolicies = z.infer<typeof NetworkPoliciesSchema>;
