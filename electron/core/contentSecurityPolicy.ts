/**
 * One policy for the Electron window and web mode: only the app's own code runs, nothing is
 * framed, and the only network peer is the core (plus `extraConnectSources`, the web-mode socket).
 */
export function contentSecurityPolicy(extraConnectSources = ''): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ${extraConnectSources}`.trim(),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
