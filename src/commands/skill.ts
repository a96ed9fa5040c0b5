/** `nemoclaw <name> skill install <dir>`. */
import { defineGroup, defineVerb, type Invocation as V, type VerbDecl } from './verb.ts';

export const SKILL: VerbDecl[] = [
  defineGroup({
    name: 'skill',
    description: 'agent skills',
    help: { usage: 'skill install <dir>', summary: 'upload a skill folder (SKILL.md with a name)' },
    verbs: [
      defineVerb({
        name: 'install',
        description: 'validate a skill folder and upload it into the agent’s skills folder',
        args: [{ name: '<dir>', description: 'a folder with SKILL.md (front matter with a name)' }],
        load: () => import('../usecases/skill.ts'),
        run: (m, v: V<object, [string]>) =>
          m.skillInstall(v.ctx, v.world, { sandbox: v.sandbox, dir: v.args[0] }),
      }),
    ],
  }),
];
