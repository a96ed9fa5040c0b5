/** The gateway's health listener: `GET /readyz` answers 200 once it can serve (v0.0.111 http.rs). */
export async function gatewayReady(healthPort: number, timeoutMs = 2000): Promise<boolean> {
  try {
    const r = await fetch(`http://127.0.0.1:${healthPort}/readyz`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    await r.body?.cancel();
    return r.status === 200;
  } catch {
    return false;
  }
}
