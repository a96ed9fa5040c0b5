/**
 * Pure rules from OpenShell v0.0.111's source (issue 12): the simulator's gateway TOML loader
 * (config_file.rs, openshell-driver-docker lib.rs) and nemoclaw's own counterparts.
 */
import { describe, expect, it } from 'vitest';
import { renderGatewayToml } from '../../../src/core/gateway-config.ts';
import { loadGatewayFile, socketPort } from '../../simulator/gateway-toml.ts';

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
