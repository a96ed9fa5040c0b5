import { describe, expect, it } from 'vitest';
import { listeningInodes, parseMeminfo, parseProcNetTcp } from '../../../src/core/host-facts.ts';
import { resolvePorts } from '../../../src/core/ports.ts';

describe('host facts', () => {
  it('parses /proc/net/tcp and meminfo', () => {
    const tcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 99 1 0000000000000000 100 0 0 10 0`;
    expect(listeningInodes(parseProcNetTcp(tcp), 8080)).toEqual([12345]);
    expect(parseMeminfo('MemTotal:       16384000 kB\nSwapTotal:       2048000 kB\n')).toEqual({
      memTotalMb: 16000,
      swapTotalMb: 2000,
    });
  });
  it('ports: flags over env, range, distinct', () => {
    expect(resolvePorts({}, {})).toEqual({ gatewayPort: 8080, dashboardPort: 18789 });
    expect(resolvePorts({ gatewayPort: 9090 }, { NEMOCLAW_GATEWAY_PORT: '9000' }).gatewayPort).toBe(
      9090,
    );
    expect(() => resolvePorts({}, { NEMOCLAW_DASHBOARD_PORT: '80' })).toThrow(
      /NEMOCLAW_DASHBOARD_PORT must be a port/,
    );
    expect(() => resolvePorts({ gatewayPort: 18789 }, {})).toThrow(/both 18789/);
  });
});
