/**
 * Stand-in images for the OpenShell gateway and supervisor: busybox with an HTTP responder on 8080
 * (the real gateway's port), and a file at the blueprint's supervisor_binary_path.
 */
import { importBusyboxImage, uniqueName } from './docker.ts';

// Traps TERM so stop/restart take milliseconds, not the 10 s kill timeout. A marker in the state
// volume makes the next start hang without serving, to play an unhealthy gateway.
const GATEWAY_SCRIPT = `#!/bin/sh
mkdir -p /tmp/www && echo openshell-gateway-standin > /tmp/www/index.html
trap 'kill $child 2>/dev/null; exit 0' TERM INT
if [ -f /var/openshell/sick-once ]; then
  rm -f /var/openshell/sick-once
  echo "stand-in: pretending to hang"
  sleep 100000 & child=$!
else
  echo "stand-in: listening on 8080 with $OPENSHELL_DRIVERS driver"
  httpd -f -p 8080 -h /tmp/www & child=$!
fi
wait $child
`;

export async function buildGatewayStandins(): Promise<{ gateway: string; supervisor: string }> {
  const gateway = `${uniqueName('nc-test-gateway')}:1`;
  const supervisor = `${uniqueName('nc-test-supervisor')}:1`;
  await Promise.all([
    importBusyboxImage(gateway, {
      extra: [{ path: '/usr/local/bin/gateway-standin', content: GATEWAY_SCRIPT, mode: 0o755 }],
      cmd: ['/usr/local/bin/gateway-standin'],
    }),
    importBusyboxImage(supervisor, {
      extra: [
        {
          path: '/usr/local/bin/openshell-sandbox',
          content: '#!/bin/sh\necho openshell-sandbox stand-in\n',
          mode: 0o755,
        },
      ],
    }),
  ]);
  return { gateway, supervisor };
}
