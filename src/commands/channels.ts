/** `nemoclaw <name> channels list|add|remove|start|stop`. */
import { defineGroup, defineVerb, type Invocation as V, type VerbDecl } from './verb.ts';

const channels = () => import('../usecases/channels.ts');
const channelArg = [{ name: '<channel>', description: 'telegram, discord or slack' }];

export const CHANNELS: VerbDecl[] = [
  defineGroup({
    name: 'channels',
    description: 'messaging channels: telegram, discord, slack',
    help: {
      usage: 'channels list|add|remove|start|stop',
      summary: 'telegram, discord, slack: token in the gateway, preset applied',
    },
    verbs: [
      defineVerb({
        name: 'list',
        description: 'each channel: running, stopped, pending a rebuild, or not configured',
        options: [{ flags: '--json', description: 'print JSON' }],
        load: channels,
        run: (m, v: V<{ json?: boolean }>) =>
          m.channelsList(v.ctx, v.world, { sandbox: v.sandbox, ...v.o }),
      }),
      defineVerb({
        name: 'add',
        description: 'store the token (env or prompt) as a gateway provider and apply the preset',
        args: channelArg,
        options: [
          {
            flags: '--rebuild',
            description: 'rebuild the sandbox now so the agent gets the channel (no question)',
          },
        ],
        load: channels,
        run: (m, v: V<{ rebuild?: boolean }, [string]>) =>
          m.channelsAdd(v.ctx, v.world, { sandbox: v.sandbox, channel: v.args[0], ...v.o }),
      }),
      defineVerb({
        name: 'remove',
        description:
          'remove the preset and the record (and the provider if no other sandbox uses it)',
        args: channelArg,
        load: channels,
        run: (m, v: V<object, [string]>) =>
          m.channelsRemove(v.ctx, v.world, { sandbox: v.sandbox, channel: v.args[0] }),
      }),
      ...(
        [
          ['start', true],
          ['stop', false],
        ] as const
      ).map(([verb, on]) =>
        defineVerb({
          name: verb,
          description: on
            ? 'allow egress to the channel’s API again (re-apply its preset)'
            : 'deny egress to the channel’s API (remove its preset); the token is kept',
          args: channelArg,
          load: channels,
          run: (m, v: V<object, [string]>) =>
            m.channelsToggle(v.ctx, v.world, { sandbox: v.sandbox, channel: v.args[0], on }),
        }),
      ),
    ],
  }),
];
