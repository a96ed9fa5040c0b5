/**
 * Pure rules from OpenShell v0.0.111's source (issue 12): the simulator's gateway TOML loader
 * (config_file.rs, openshell-driver-docker lib.rs) and nemoclaw's own counterparts.
 */
import { describe, expect, it } from 'vitest';
import { openshellChildEnv } from '../../../src/core/openshell/child-env.ts';
import { imageRegistryProblem } from '../../../src/core/onboard/intent.ts';
import { renderGatewayToml } from '../../../src/core/gateway-config.ts';
import { dashboardUrl } from '../../../src/core/ports.ts';
import { loadGatewayFile, socketPort } from '../../simulator/gateway-toml.ts';
import { sandboxNameError } from '../../simulator/names.ts';

const ours = renderGatewayToml({
  port: 9000,
  healthPort: 9001,
  supervisorBin: '/d/s/openshell-sandbox',
});

describe('gateway.toml as v0.0.111 loads it (simulator)', () => {
  it('loads what nemoclaw writes, with the bind port and the driver table', () => {
    const f = loadGatewayFile(ours);
    expect(socketPort(f.gateway.bind_address, 'bind_address')).toBe(9000);
    expect(socketPort(f.gateway.health_bind_address, 'health_bind_address')).toBe(9001);
    expect(f.docker.supervisor_bin).toBe('/d/s/openshell-sandbox');
  });
  it.each([
    ['[openshell]\nversion = 1\nbogus = 1\n', 'unknown field `bogus` in [openshell]'],
    ['[openshell.gateway]\nport = 8080\n', 'unknown field `port` in [openshell.gateway]'],
    [
      '[openshell.drivers.docker]\nsupervisor_path = "/x"\n',
      'unknown field `supervisor_path` in [openshell.drivers.docker]',
    ],
    ['[openshell]\nversion = 2\n', 'unsupported config schema version 2'],
    ['[openshell.gateway]\ndatabase_url = "sqlite::memory:"\n', 'database_url may not be set'],
    ['[openshell.gateway]\nbind_address = "nowhere"\n', 'invalid socket address'],
    ['[openshell.gateway\n', 'expected key = value'],
  ])('refuses %j', (text, message) => {
    expect(() => {
      const f = loadGatewayFile(text);
      socketPort(f.gateway.bind_address, 'bind_address');
    }).toThrow(message);
  });
  it('overlays the inheritable [openshell.gateway] keys onto the docker driver', () => {
    const f = loadGatewayFile('[openshell.gateway]\nsupervisor_image = "sup:1"\n');
    expect(f.docker.supervisor_image).toBe('sup:1');
  });
});

describe('names (validation.rs) in the simulator', () => {
  it.each([
    ['x'.repeat(19), undefined],
    ['9lives', undefined],
    ['x'.repeat(20), 'name exceeds maximum length (20 > 19)'],
    ['a--b', 'name must not contain consecutive hyphens'],
  ])('%j', (name, problem) => {
    expect(sandboxNameError(name)).toBe(problem);
  });
});

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
