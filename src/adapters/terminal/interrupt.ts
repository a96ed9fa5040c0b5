/**
 * Ctrl-C while a command streams (logs --follow): the handler replaces Node's default exit so the
 * command can stop its child and finish normally. Returns the function that removes it.
 */
export function onInterrupt(handler: () => void): () => void {
  const h = () => handler();
  process.on('SIGINT', h);
  process.on('SIGTERM', h);
  return () => {
    process.off('SIGINT', h);
    process.off('SIGTERM', h);
  };
}
