/**
 * Pure rules from OpenShell v0.0.111's source (issue 12): the simulator's gateway TOML loader
 * (config_file.rs, openshell-driver-docker lib.rs) and nemoclaw's own counterparts.
 */
import { describe, expect, it } from 'vitest';
import { openshellChildEnv } from '../../../../src/core/openshell/child-env.ts';
import { imageRegistryProblem } from '../../../../src/core/onboard/intent.ts';
import { dashboardUrl } from '../../../../src/core/ports.ts';

describe('nemoclaw side', () => {
  it('children get a minimal environment: no unrelated key, the named credential only', () => {
    const env = openshellChildEnv(
      {
        PATH: '/bin',
        HOME: '/h',
        LC_ALL: 'C',
        OPENSHELL_GATEWAY: 'g',
        HTTPS_PROXY: 'http://p',
        FOO_API_KEY: 'x',
        NVIDIA_API_KEY: 'y',
        NEMOCLAW_HOME: '/n',
      },
      { NVIDIA_API_KEY: 'y' },
    );
    expect(Object.keys(env).sort()).toEqual(
      [
        'HOME',
        'HTTPS_PROXY',
        'LC_ALL',
        'NO_COLOR',
        'NVIDIA_API_KEY',
        'OPENSHELL_GATEWAY',
        'PATH',
      ].sort(),
    );
    expect(openshellChildEnv({ NVIDIA_API_KEY: 'y' })).not.toHaveProperty('NVIDIA_API_KEY');
  });
  it('a remote gateway needs a registry; a registry must look like one', () => {
    expect(imageRegistryProblem(undefined, undefined)).toBeUndefined();
    expect(imageRegistryProblem('https://g', undefined)).toMatch(/name a registry/);
    expect(imageRegistryProblem('https://g', 'registry.example.com/team')).toBeUndefined();
    expect(imageRegistryProblem('https://g', '127.0.0.1:5000/a/b')).toBeUndefined();
    expect(imageRegistryProblem('https://g', 'Registry/UPPER')).toMatch(/not a registry/);
  });
  it('the dashboard URL', () => {
    expect(dashboardUrl(18789)).toBe('http://127.0.0.1:18789/');
    expect(dashboardUrl(9000, '0.0.0.0')).toBe('http://127.0.0.1:9000/');
  });
});
